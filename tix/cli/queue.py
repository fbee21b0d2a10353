"""tix queue …: dead letters, for an operator on the database host (no login).

The database outbox always has its own: messages the daemon could not read, or whose
handlers failed five times. With TIX_QUEUE_URL=sqs://… each SQS queue has one as well.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import typer

from tix.cli.output import JsonFlag, emit, say, table
from tix.cli.state import state

if TYPE_CHECKING:
    from tix.adapters.queue.sqs import SqsTransport

OUTBOX = "outbox"

app = typer.Typer(help="The message queues (the database outbox, SQS): dead letters.",
                  no_args_is_help=True)
dlq = typer.Typer(help="Messages set aside (unreadable, or failed five times): see them, "
                       "send them back.", no_args_is_help=True)
app.add_typer(dlq, name="dlq")


def _transport(ctx: typer.Context) -> SqsTransport:
    from tix.core.errors import Invalid

    transport = state(ctx).runtime.queue_transport
    if transport is None:
        raise Invalid("no SQS queue here: messages go through the database outbox "
                      f"(redrive {OUTBOX!r}, or set TIX_QUEUE_URL=sqs://… to use SQS)")
    return transport


@dlq.command("list")
def list_(ctx: typer.Context, limit: Annotated[int, typer.Option(
        min=1, max=10_000, help="The outbox's dead letters shown, oldest first.")] = 100,
        json_: JsonFlag = False) -> None:
    """Messages waiting in each queue and its dead-letter queue; the outbox's dead letters
    (id, type, error, attempts, when: never what they carry)."""
    runtime = state(ctx).runtime
    counts = {OUTBOX: runtime.outbox.pending_count(),
              f"{OUTBOX}-dlq": runtime.dead_letters.count()}
    if runtime.queue_transport is not None:
        counts.update(runtime.queue_transport.pending())
    emit({**counts, "dead_letters": runtime.dead_letters.oldest(limit)}, as_json=json_,
         human=_print)


@dlq.command()
def redrive(ctx: typer.Context, queue: Annotated[str, typer.Argument(
        help="outbox, payment-events, ticket-events or notification-events.")] = OUTBOX
            ) -> None:
    """Send a dead-letter queue's messages back to their queue, once the cause is fixed."""
    from tix.adapters.queue.sqs import QUEUES
    from tix.core.errors import Invalid

    if queue == OUTBOX:
        moved = state(ctx).runtime.dead_letters.redrive()
    elif queue in QUEUES:
        moved = _transport(ctx).redrive(queue)
    else:
        raise Invalid(f"{queue!r} is not one of {', '.join((OUTBOX, *QUEUES))}")
    say(f"Sent {moved} message(s) back to {queue}.")


def _print(data: dict[str, Any]) -> None:
    queues = [q for q in data if q != "dead_letters" and not q.endswith("-dlq")]
    table(["Queue", "Waiting", "Dead letters"],
          [[q, str(data[q]), str(data[f"{q}-dlq"])] for q in queues])
    if data["dead_letters"]:
        table(["id", "type", "tries", "set aside", "error"],
              [[d.id, d.type, str(d.attempts), d.dead_at.isoformat(timespec="seconds"),
                d.error[:60]] for d in data["dead_letters"]], title="Outbox dead letters")
