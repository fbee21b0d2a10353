"""tix daemon: deliver messages, send mail, retry, expire holds, resume sagas."""

from __future__ import annotations

import signal
import threading
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
    from tix.daemon import Daemon, wait_for_database
    from tix.heap import settle
    from tix.listener import Listener, parse_address
    from tix.logs import configure

    runtime = state(ctx).runtime
    configure(runtime.settings.log_format)
    address = parse_address(http) if http else None
    if once:
        done = Daemon(runtime, idle_sleep=idle).run_once()
        say(f"Delivered {done} item(s); nothing left to do.")
        return
    stopping = threading.Event()  # one for the process: a signal at any moment stops all

    def stop(signum: int, _frame: object) -> None:
        say(f"{signal.Signals(signum).name}: finishing the work in hand, then stopping.")
        stopping.set()

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    if not wait_for_database(runtime, stopping):
        return
    settle()  # start-up done: full collections skip what lives as long as the process
    daemons = [Daemon(runtime, idle_sleep=idle, stopping=stopping,
                      worker_id=None if workers == 1 else f"worker-{n}")
               for n in range(workers)]
    listener = Listener(runtime, *address) if address else None
    if listener is not None:
        listener.start()
    threads = [threading.Thread(target=d.run_forever, name=d.worker_id) for d in daemons]
    for thread in threads:
        thread.start()
    for thread in threads:
        while thread.is_alive():
            thread.join(0.5)  # short joins keep the main thread responsive to signals
    if listener is not None:
        listener.stop()


def register(app: typer.Typer) -> None:
    app.command("daemon")(daemon)
