"""Runs tix's background work in this process: the daemon's workers and, if asked, its
HTTP listener, until a signal says stop. `tix daemon` is a command that calls this.

Why a module of its own, outside both the CLI and tix.daemon: the faces never reach into
the daemon (no face builds a Daemon, delivers a batch or serves a route: the box office
once did its deliveries itself), and import-linter holds them to it. Starting the
background work is different: it is a whole process's job, like `tix db upgrade` is a
whole database's, so a face may ask for it by one call here, and this module, not the
face, knows how the work is split into workers, signals and a listener.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tix.bootstrap import Runtime


def run_once(runtime: Runtime, *, idle: float, http: str | None = None) -> int:
    """Deliver everything pending and run every job until nothing is left; returns how
    many items were handled. `http` is checked (HOST:PORT) though nothing is served."""
    from tix.daemon import Daemon
    from tix.listener import parse_address
    from tix.logs import configure

    configure(runtime.settings.log_format)
    if http:
        parse_address(http)
    return Daemon(runtime, idle_sleep=idle).run_once()


def run_until_stopped(runtime: Runtime, *, workers: int, idle: float, http: str | None,
                      say: Callable[[str], None]) -> None:
    """Workers deliver and sweep until SIGINT or SIGTERM, then finish the work in hand
    (`say` tells the operator so). Waits for the database first, saying why."""
    from tix.daemon import Daemon, wait_for_database
    from tix.heap import settle
    from tix.listener import Listener, parse_address
    from tix.logs import configure

    configure(runtime.settings.log_format)
    address = parse_address(http) if http else None
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
