"""tix notifications …: the outgoing mail log, for admins."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from tix.cli.output import JsonFlag, emit, say, table
from tix.cli.state import state

app = typer.Typer(help="Outgoing mail: what was sent, what failed, retry.",
                  no_args_is_help=True)

STATUS_NAMES = {"pending": "PENDING", "sent": "SENT", "failed": "FAILED",
                "permanently-failed": "PERMANENTLY_FAILED"}


def _require_admin(ctx: typer.Context) -> None:
    from tix.core.principal import Role

    state(ctx).principal().require(Role.ADMIN)


@app.command("list")
def list_(
    ctx: typer.Context,
    status: Annotated[str | None, typer.Option(
        help="pending, sent, failed or permanently-failed.")] = None,
    limit: Annotated[int, typer.Option(min=1, max=1000)] = 100,
    json_: JsonFlag = False,
) -> None:
    """The newest notifications and their delivery state."""
    from tix.core.errors import Invalid
    from tix.core.notifications.model import Status

    _require_admin(ctx)
    wanted = None
    if status is not None:
        if status.lower() not in STATUS_NAMES:
            raise Invalid(f"unknown status {status!r}; use {', '.join(STATUS_NAMES)}")
        wanted = Status(STATUS_NAMES[status.lower()])
    rows = state(ctx).runtime.notifications.list(wanted, limit)
    data = [{"id": n.id, "recipient": n.recipient, "template": n.template,
             "status": n.status.value, "attempts": n.attempts, "last_error": n.last_error,
             "created_at": n.created_at, "sent_at": n.sent_at,
             "next_attempt_at": n.next_attempt_at if n.status.value == "FAILED" else None}
            for n in rows]
    emit(data, as_json=json_, human=_print)


def _print(data: list[dict[str, Any]]) -> None:
    table(["id", "to", "template", "status", "tries", "last error"],
          [[d["id"][:8], d["recipient"], d["template"], d["status"], str(d["attempts"]),
            (d["last_error"] or "")[:40]] for d in data])


@app.command()
def retry(ctx: typer.Context, notification_id: str) -> None:
    """Queue a failed mail for sending again."""
    _require_admin(ctx)
    state(ctx).runtime.notifications.retry(notification_id)
    say(f"Notification {notification_id} will be sent at the daemon's next pass.")
