"""tix queue …: dead letters, for an operator on the database host (no login).

The database outbox always has its own: messages the daemon could not read, or whose
handlers failed five times. With TIX_QUEUE_URL=sqs://… each SQS queue has one as well.
"""

from __future__ import annotations

from typing import Annotated, Any

import typer

from tix.cli.output import JsonFlag, emit, say, table
from tix.cli.state import state
from tix.operations import OUTBOX

app = typer.Typer(help="The message queues (the database outbox, SQS): dead letters.",
                  no_args_is_help=True)
dlq = typer.Typer(help="Messages set aside (unreadable, or failed five times): see them, "
                       "send them back.", no_args_is_help=True)
app.add_typer(dlq, name="dlq")


@dlq.command("list")
def list_(ctx: typer.Context, limit: Annotated[int, typer.Option(
        min=1, max=10_000, help="The outbox's dead letters shown, oldest first.")] = 100,
        json_: JsonFlag = False) -> None:
    """Messages waiting in each queue and its dead-letter queue; the outbox's dead letters
    (id, type, error, attempts, when: never what they carry)."""
    from tix.operations import dead_letters, waiting

    runtime = state(ctx).runtime
    emit({**waiting(runtime), "dead_letters": dead_letters(runtime, limit)}, as_json=json_,
         human=_print)


@dlq.command()
def redrive(ctx: typer.Context, queue: Annotated[str, typer.Argument(
        help="outbox, payment-events, ticket-events or notification-events.")] = OUTBOX
            ) -> None:
    """Send a dead-letter queue's messages back to their queue, once the cause is fixed."""
    from tix.operations import redrive as send_back

    moved = send_back(state(ctx).runtime, queue)
    say(f"Sent {moved} message(s) back to {queue}.")


def _print(data: dict[str, Any]) -> None:
    queues = [q for q in data if q != "dead_letters" and not q.endswith("-dlq")]
    table(["Queue", "Waiting", "Dead letters"],
          [[q, str(data[q]), str(data[f"{q}-dlq"])] for q in queues])
    if data["dead_letters"]:
        table(["id", "type", "tries", "set aside", "error"],
              [[d.id, d.type, str(d.attempts), d.dead_at.isoformat(timespec="seconds"),
                d.error[:60]] for d in data["dead_letters"]], title="Outbox dead letters")
