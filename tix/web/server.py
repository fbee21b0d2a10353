"""Runs the web application on uvicorn: one process serves the Runtime it is given; with
several workers each process builds its own from Settings (tix.web.app:from_environment).

uvicorn's own reading of X-Forwarded-* is off: tix honours them only when TIX_TRUST_PROXY
is set (tix.web.security), whoever the peer is.

With several workers on Linux each accepts on a listening socket of its own, all bound to
the one port with SO_REUSEPORT: the kernel spreads new connections over them. On one
shared socket the first worker awake accepts every connection waiting, and kept-alive
connections stay where they landed: 32 clients all on one worker, the other idle.
"""

from __future__ import annotations

import socket
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from tix.core.errors import Unavailable

if TYPE_CHECKING:
    from tix.bootstrap import Runtime


def bind(host: str, port: int, *, reuse_port: bool = False) -> socket.socket:
    """The listening socket, or Unavailable naming the address (taken, not ours)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
        if reuse_port:
            # a socket each for this server's workers (see run): bound first without
            # SO_REUSEPORT, so that a port another server holds, itself with
            # SO_REUSEPORT, is refused as taken instead of shared with it
            port = sock.getsockname()[1]
            sock.close()
            sock = socket.socket(family, socket.SOCK_STREAM)
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
            sock.bind((host, port))
    except OSError as error:
        sock.close()
        raise Unavailable(f"cannot listen on {host}:{port}: "
                          f"{error.strerror or error}") from None
    except (socket.gaierror, UnicodeError):
        sock.close()
        raise Unavailable(f"cannot listen on {host}:{port}: unknown address") from None
    sock.set_inheritable(True)
    return sock


def run(runtime: Runtime, *, host: str, port: int, workers: int,
        say: Callable[[str], None]) -> None:
    import uvicorn

    spread = workers > 1 and _can_spread()
    sock = bind(host, port, reuse_port=spread)
    bound_host, bound_port = sock.getsockname()[:2]
    shown = f"[{bound_host}]" if ":" in bound_host else bound_host
    say(f"Serving on http://{shown}:{bound_port}/ (API docs at /api/docs); Ctrl-C stops.")
    common = {"proxy_headers": False, "server_header": False, "access_log": False,
              "log_level": "warning", "timeout_graceful_shutdown": 10}
    if workers == 1:
        from tix.web.app import create_app

        app = create_app(runtime, long_running=True)
        config = uvicorn.Config(app, **common)  # type: ignore[arg-type]
    else:
        config = uvicorn.Config("tix.web.app:from_environment", factory=True,
                                workers=workers, **common)  # type: ignore[arg-type]
    if workers == 1:
        uvicorn.Server(config).run(sockets=[sock])
    elif spread:
        sockets = [sock, *(_reuse_port(sock) for _ in range(workers - 1))]
        _supervisor()(config, sockets).run()
    else:
        from uvicorn.supervisors import Multiprocess

        Multiprocess(config, sockets=[sock]).run()


def _can_spread() -> bool:
    """Linux spreads connections over the sockets of one port (elsewhere SO_REUSEPORT may
    hand them all to one socket)."""
    return sys.platform == "linux" and hasattr(socket, "SO_REUSEPORT")


def _reuse_port(sock: socket.socket) -> socket.socket:
    """Another listening socket on `sock`'s address (which has SO_REUSEPORT set)."""
    other = socket.socket(sock.family, socket.SOCK_STREAM)
    other.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    other.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    other.bind(sock.getsockname()[:2])
    other.set_inheritable(True)
    return other


def _supervisor() -> type:
    from uvicorn.config import STARTUP_FAILURE
    from uvicorn.supervisors.multiprocess import Multiprocess, Process

    class _SocketPerWorker(Multiprocess):
        """uvicorn's supervisor (signals, health checks, a dead worker replaced), the
        worker in slot i on sockets[i]: its replacement takes over its queue."""

        def __init__(self, config: Any, sockets: list[socket.socket]) -> None:
            super().__init__(config, sockets=sockets)

        def _start(self, slot: int) -> Any:
            process = Process(self.config, [self.sockets[slot]])
            process.start()
            return process

        def init_processes(self) -> None:
            self.processes = [self._start(slot) for slot in range(self.processes_num)]

        def restart_all(self) -> None:  # SIGHUP: each worker replaced in turn
            for slot, old in enumerate(self.processes):
                if self.should_exit.is_set():
                    return
                old.terminate()
                old.join()
                self.processes[slot] = self._start(slot)

        def keep_subprocess_alive(self) -> None:
            if self.should_exit.is_set():
                return
            for slot, process in enumerate(self.processes):
                if process.is_alive(timeout=self.config.timeout_worker_healthcheck):
                    continue
                process.kill()  # hung, or gone
                process.join()
                if process.exitcode == STARTUP_FAILURE or self.should_exit.is_set():
                    self.should_exit.set()  # it would fail the same way again
                    return
                self.processes[slot] = self._start(slot)

    return _SocketPerWorker

