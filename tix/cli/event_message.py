"""tix event message: the organizer writes to every holder of an event (or of one ticket
type) through the mail log, once per person. Joins the `tix event` group."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from tix.cli.ids import EventId
from tix.cli.output import JsonFlag, emit, say
from tix.cli.state import state
from tix.core.errors import Invalid

if TYPE_CHECKING:
    from tix.core.notifications.holder_message import HolderMessage


def attach(event_app: typer.Typer) -> None:
    """Add the command to `tix event`."""
    event_app.command("message")(message)


def message(
    ctx: typer.Context,
    event: EventId,
    subject: Annotated[str, typer.Option(help="The mail's subject line.")],
    body_file: Annotated[Path, typer.Option(
        "--body-file", metavar="FILE", help="The text of the mail (UTF-8; - for stdin); "
                                            "blank lines part paragraphs.")],
    type_: Annotated[str | None, typer.Option(
        "--type", metavar="TYPE", help="Only the holders of this ticket type (E12-T2).")
                     ] = None,
    message_id: Annotated[str | None, typer.Option(
        "--id", metavar="ID", help="Name the message: a run with the same id reaches "
                                   "nobody it reached before (by default the type, "
                                   "subject and body name it).")] = None,
    dry_run: Annotated[bool, typer.Option(
        "--dry-run", help="Say how many people it would reach; send nothing.")] = False,
    json_: JsonFlag = False,
) -> None:
    """Mail every holder of your event (its organizer, or an admin): one mail per person
    however many tickets they hold, to the buyer's address, sent by the daemon with its
    retries (tix notifications list shows them). Running it again with the same message
    sends nobody a second copy, so a run cut short can simply be run again."""
    body = _read_body(body_file)
    cli = state(ctx)
    sent = cli.runtime.holder_messages.send(
        cli.principal(), event, subject=subject, body=body, ticket_type=type_,
        key=message_id, dry_run=dry_run)
    emit({"message_id": sent.message_id, "event_id": sent.event_id,
          "recipients": sent.recipients, "already": sent.already, "queued": sent.queued,
          "dry_run": sent.dry_run}, as_json=json_, human=lambda _: say(_summary(sent)))


def _summary(sent: HolderMessage) -> str:
    earlier = f" ({sent.already} had it already)" if sent.already else ""
    if sent.dry_run:
        return (f"Would mail {sent.recipients - sent.already} of {sent.recipients} "
                f"holder(s){earlier}.")
    return (f"Queued {sent.queued} mail(s) to {sent.recipients} holder(s){earlier}; the "
            "daemon sends them.")


def _read_body(path: Path) -> str:
    try:
        data = sys.stdin.buffer.read() if str(path) == "-" else path.read_bytes()
    except (OSError, ValueError) as error:
        raise Invalid(f"--body-file {path}: {getattr(error, 'strerror', None) or error}",
                      field="body") from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise Invalid(f"--body-file {path}: not UTF-8 text", field="body") from None
