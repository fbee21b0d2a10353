"""tix serve: the storefront and the REST API over HTTP (uvicorn)."""

from __future__ import annotations

from typing import Annotated

import typer

from tix.cli.output import say
from tix.cli.state import state


def serve(
    ctx: typer.Context,
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=0, max=65535,
                                      help="Port to listen on (0: any free one).")] = 8000,
    workers: Annotated[int, typer.Option(
        min=1, max=64, help="Processes, each with its own connections (behind one port).")
    ] = 1,
) -> None:
    """Serve the shop's pages and the REST API (/api/, docs at /api/docs) until Ctrl-C.

    Stateless: run any number of these behind a load balancer, on one database (and
    Redis, so rate limits and sessions' cache are shared). `tix daemon` does the
    background work (mail, expiring holds) beside it.
    """
    from tix.web.server import run

    cli = state(ctx)
    runtime = cli.runtime
    runtime.engine  # noqa: B018  (the schema is checked now: a clear error, not a worker's)
    run(runtime, host=host, port=port, workers=workers, say=say)


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)
