"""tix queue …: the message queues, for an operator (TIX_QUEUE_URL=sqs://…; no login)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import typer

from tix.cli.output import JsonFlag, emit, say, table
from tix.cli.state import state

if TYPE_CHECKING:
    from tix.adapters.queue.sqs import SqsTransport

app = typer.Typer(help="The message queues (SQS): dead letters.", no_args_is_help=True)
dlq = typer.Typer(help="Messages that failed five times: see them, send them back.",
                  no_args_is_help=True)
app.add_typer(dlq, name="dlq")


def _transport(ctx: typer.Context) -> SqsTransport:
    from tix.core.errors import Invalid

    transport = state(ctx).runtime.queue_transport
    if transport is None:
        raise Invalid("no message queue here: messages go through the database outbox "
                      "(set TIX_QUEUE_URL=sqs://… to use SQS)")
    return transport


@dlq.command("list")
def list_(ctx: typer.Context, json_: JsonFlag = False) -> None:
    """Messages waiting in each queue and its dead-letter queue."""
    counts = _transport(ctx).pending()
    emit(counts, as_json=json_, human=_print_counts)


@dlq.command()
def redrive(ctx: typer.Context, queue: Annotated[str, typer.Argument(
        help="payment-events, ticket-events or notification-events.")]) -> None:
    """Send a dead-letter queue's messages back to their queue, once fixed."""
    from tix.adapters.queue.sqs import QUEUES
    from tix.core.errors import Invalid

    if queue not in QUEUES:
        raise Invalid(f"{queue!r} is not one of {', '.join(QUEUES)}")
    moved = _transport(ctx).redrive(queue)
    say(f"Sent {moved} message(s) back to {queue}.")


def _print_counts(counts: dict[str, Any]) -> None:
    from tix.adapters.queue.sqs import QUEUES

    table(["Queue", "Waiting", "Dead letters"],
          [[q, str(counts[q]), str(counts[f"{q}-dlq"])] for q in QUEUES])
