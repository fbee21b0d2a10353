"""tix ticket … and tix checkin: tickets for their holders, the door for clerks."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from tix.cli.ids import OrderId, TicketId
from tix.cli.output import JsonFlag, emit, save_file, say, table
from tix.cli.state import state
from tix.json_shapes import ticket_json

app = typer.Typer(help="Your tickets; an organizer's: void, rename, transfer, resend.",
                  no_args_is_help=True)


@app.command("list")
def list_(ctx: typer.Context,
          order: Annotated[str | None, typer.Option(
              help="Only this order's tickets (TIX-… or its id): yours, one you sold, or "
                   "one of your event's.")] = None,
          json_: JsonFlag = False) -> None:
    """The tickets of the orders you placed, or of one order."""
    cli = state(ctx)
    if order is None:
        tickets = cli.runtime.tickets.mine(cli.principal())
    else:  # NotFound unless the order is one you may see
        found = cli.runtime.orders.show(cli.principal(), order)
        tickets = cli.runtime.tickets.of_orders([found.id]).get(found.id, [])
    emit([ticket_json(t) for t in tickets], as_json=json_, human=lambda rows: table(
        ["number", "holder", "status", "id"],
        [[r["number"], r["holder"], r["status"], r["id"]] for r in rows]))


@app.command()
def show(ctx: typer.Context, ticket: TicketId, json_: JsonFlag = False) -> None:
    """One ticket, with its QR code drawn in the terminal."""
    cli = state(ctx)
    found = cli.runtime.tickets.show(cli.principal(), ticket)
    emit(ticket_json(found), as_json=json_, human=_print_ticket)


@app.command()
def pdf(ctx: typer.Context, ticket: TicketId,
        output: Annotated[Path, typer.Option("-o", "--output", help="The PDF file to write.")]
        ) -> None:
    """Save a ticket as a PDF, its QR code large enough to scan from paper or a phone."""
    _save(ctx, ticket, output, "pdf")


@app.command()
def ics(ctx: typer.Context, ticket: TicketId,
        output: Annotated[Path, typer.Option("-o", "--output", help="The .ics file to write.")]
        ) -> None:
    """Save a ticket as a calendar entry, with a reminder."""
    _save(ctx, ticket, output, "ics")


@app.command()
def resend(ctx: typer.Context, order: OrderId, json_: JsonFlag = False) -> None:
    """Mail an order's valid tickets again, to its buyer (the buyer, the event's
    organizer or an admin)."""
    cli = state(ctx)
    count = cli.runtime.tickets.resend(cli.principal(), order)
    emit({"order": order, "tickets": count}, as_json=json_, human=lambda d: say(
        f"{d['tickets']} ticket(s) will be mailed again at the daemon's next pass."))


@app.command()
def void(ctx: typer.Context, ticket: TicketId,
         reason: Annotated[str | None, typer.Option(help="Why: kept in the audit trail.")
                           ] = None,
         json_: JsonFlag = False) -> None:
    """Void one ticket (the event's organizer or an admin): its code stops admitting at
    once and its seat goes back on sale. Nothing is refunded: tix order refund --ticket
    voids and refunds it."""
    cli = state(ctx)
    voided = cli.runtime.tickets.void_ticket(cli.principal(), ticket, reason)
    emit(ticket_json(voided), as_json=json_, human=lambda d: say(
        f"Voided {d['number']}: it admits nobody now; its seat is on sale again."))


@app.command()
def rename(ctx: typer.Context, ticket: TicketId,
           holder: Annotated[str, typer.Option(help="The new holder's name.",
                                               show_default=False)],
           json_: JsonFlag = False) -> None:
    """Put another holder's name on a ticket (its buyer, the event's organizer or an
    admin); its code stays the same."""
    renamed(ctx, ticket, holder, as_json=json_)


@app.command()
def transfer(ctx: typer.Context, ticket: TicketId,
             to: Annotated[str, typer.Option(
                 "--to", metavar="EMAIL", help="Where the new ticket is mailed.",
                 show_default=False)],
             holder: Annotated[str | None, typer.Option(
                 help="The new holder's name (default: the address).")] = None,
             json_: JsonFlag = False) -> None:
    """Give a ticket to another person (its buyer, the event's organizer or an admin):
    the old one is voided — its code stops admitting — and a new one, with a new number
    and code, is mailed to --to."""
    transferred(ctx, ticket, to, holder, as_json=json_)


def renamed(ctx: typer.Context, ticket: str, holder: str, *, as_json: bool) -> None:
    """Rename the ticket and say so (`tix ticket rename`, `tix order transfer`)."""
    cli = state(ctx)
    done = cli.runtime.tickets.rename_ticket(cli.principal(), ticket, holder)
    emit(ticket_json(done), as_json=as_json, human=lambda d: say(
        f"{d['number']} is {d['holder']}'s now."))


def transferred(ctx: typer.Context, ticket: str, to: str, holder: str | None, *,
                as_json: bool) -> None:
    """Transfer the ticket and say so (`tix ticket transfer`, `tix order transfer`)."""
    cli = state(ctx)
    old, new = cli.runtime.tickets.transfer_ticket(cli.principal(), ticket, to=to,
                                                   holder=holder)
    emit({**ticket_json(new), "replaces": old.number}, as_json=as_json, human=lambda d: say(
        f"{d['replaces']} is voided; {d['number']} for {d['holder']} is mailed to "
        f"{' '.join(to.split()).lower()} at the daemon's next pass."))


def _save(ctx: typer.Context, reference: str, output: Path, kind: str) -> None:
    from tix.documents import ticket_file

    cli = state(ctx)
    ticket = cli.runtime.tickets.show(cli.principal(), reference)
    save_file(output, ticket_file(cli.runtime, ticket.id, kind))


def _print_ticket(data: dict[str, Any]) -> None:
    from tix.tui.qr import qr_text

    typer.echo(qr_text(data["qr_payload"]))
    typer.echo(f"{data['number']}  {data['holder']}  [{data['status']}]")


def checkin(
    ctx: typer.Context,
    payload: Annotated[str | None, typer.Argument(
        help="What the scanner read from the QR code.", show_default=False)] = None,
    event: Annotated[str | None, typer.Option(help="Refuse tickets of other events.")] = None,
    list_: Annotated[str | None, typer.Option(
        "--list", metavar="LIST", help="The check-in list of this door (tix door list ls): "
                                      "it admits its ticket types only. Default: main.")
                     ] = None,
    exit_: Annotated[bool, typer.Option(
        "--exit", help="The ticket goes out (back in only on a list with re-entry).")
                     ] = False,
    number: Annotated[str | None, typer.Option(
        "--number", metavar="NUMBER", help="Admit (or with --exit let out) by the ticket's "
                                          "number, E12-000123 (tix door find), not its code.")
                      ] = None,
    undo: Annotated[str | None, typer.Option(
        "--undo", metavar="TICKET", help="Take back the ticket's admission (a wrong scan): "
                                        "its number, id or code; needs --reason.")] = None,
    reason: Annotated[str | None, typer.Option(help="Why the admission is undone.")] = None,
    json_: JsonFlag = False,
    offline: Annotated[Path | None, typer.Option(
        "--offline", metavar="PACK", help="No database, no network: check against this door "
        "pack (tix door pack) and record the scan in this device's log.")] = None,
    device: Annotated[str | None, typer.Option(
        help="This door device's name, in the scan log (default: server; gate with "
             "--offline).")] = None,
    log: Annotated[Path | None, typer.Option(
        help="The device's scan log (with --offline; default DEVICE.scans beside the pack)."
    )] = None,
    key: Annotated[Path | None, typer.Option(
        help="The door key (with --offline; default door.key in the data dir).")] = None,
) -> None:
    """Admit a ticket at the door (clerks, the event's organizer): once on the main list;
    back in after --exit on a list with re-entry. Every scan, refused or not, is logged.
    With --json a refusal is a verdict too: {"admitted": false, "code", "reason"} on
    stdout, exit 5."""
    from tix.core.errors import Invalid, RuleViolation
    from tix.core.tickets.door import ScanKind

    given = [name for name, value in (("PAYLOAD", payload), ("--number", number),
                                      ("--undo", undo)) if value is not None]
    if len(given) != 1:
        raise Invalid("give the scanned code, --number or --undo (one of them)"
                      if not given else f"{' and '.join(given)}: one of them, not both")
    if reason is not None and undo is None:
        raise Invalid("--reason goes with --undo")
    if undo is not None and (exit_ or list_ is not None):
        raise Invalid("--undo takes back the admission on its own list: no --exit, --list")
    if offline is not None:  # the offline door: tix/cli/door.py
        from tix.cli.door import checkin_offline

        if payload is None:
            raise Invalid("--offline checks a scanned code (PAYLOAD)")
        return checkin_offline(ctx, offline, payload, device=device or "gate", log=log,
                               list_name=list_ or "main", key=key, exit_=exit_, json_=json_)
    cli = state(ctx)
    tickets = cli.runtime.tickets
    kind = ScanKind.EXIT if exit_ else ScanKind.ADMIT
    where = {"device": "server" if device is None else device}
    try:
        if undo is not None:
            if reason is None:
                raise Invalid("--undo needs --reason: say why the admission is taken back")
            admission = tickets.undo(cli.principal(), undo, reason, **where)
        elif number is not None:
            admission = tickets.check_in_number(cli.principal(), number, event,
                                                list_name=list_, kind=kind, **where)
        else:
            assert payload is not None
            admission = tickets.check_in(cli.principal(), payload, event, list_name=list_,
                                         kind=kind, **where)
    except RuleViolation as refused:
        if json_:  # a scanner script reads the verdict; stderr still says why
            emit({"admitted": False, "code": refused.code,
                  "reason": refused.message.removeprefix("REFUSED: ")}, as_json=True)
        raise
    data = {**ticket_json(admission.ticket), "event": admission.event_name,
            "ticket_type": admission.ticket_type,
            "admitted": admission.kind is ScanKind.ADMIT}
    if list_ is not None or admission.kind is not ScanKind.ADMIT:
        data |= {"scan": admission.kind.value, "list": admission.list_name}
    words = {ScanKind.ADMIT: "ADMITTED", ScanKind.EXIT: "OUT", ScanKind.UNDO: "UNDONE"}
    emit(data, as_json=json_, human=lambda d: say(
        f"{words[admission.kind]}: {d['holder']} ({d['ticket_type']}, {d['number']})"
        + ("" if admission.list_name == "main" else f" · {admission.list_name}")))


def register(root: typer.Typer) -> None:
    root.command("checkin")(checkin)
