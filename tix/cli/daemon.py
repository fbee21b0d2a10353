"""tix daemon: deliver messages, send mail, retry, expire holds, resume sagas."""

from __future__ import annotations

from typing import Annotated

import typer

from tix.cli.output import say
from tix.cli.state import state


def daemon(
    ctx: typer.Context,
    once: Annotated[bool, typer.Option(
        "--once", help="Deliver everything pending, then exit.")] = False,
    workers: Annotated[int, typer.Option(min=1, max=64, help="Parallel workers.")] = 1,
    idle: Annotated[float, typer.Option(
        min=0.05, help="Seconds to sleep when there is nothing to do.")] = 1.0,
    http: Annotated[str | None, typer.Option(
        help="HOST:PORT for /healthz, /readyz, /metrics, /t/<ticket> and Stripe's "
             "webhooks.")] = None,
) -> None:
    """Run the background work; stops cleanly on Ctrl-C or SIGTERM."""
    from tix.background import run_once, run_until_stopped

    runtime = state(ctx).runtime
    if once:
        done = run_once(runtime, idle=idle, http=http)
        say(f"Delivered {done} item(s); nothing left to do.")
        return
    run_until_stopped(runtime, workers=workers, idle=idle, http=http, say=say)


def register(app: typer.Typer) -> None:
    app.command("daemon")(daemon)
