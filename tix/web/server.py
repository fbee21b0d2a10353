"""Runs the web application on uvicorn: one process serves the Runtime it is given; with
several workers each process builds its own from Settings (tix.web.app:from_environment).

uvicorn's own reading of X-Forwarded-* is off: tix honours them only when TIX_TRUST_PROXY
is set (tix.web.security), whoever the peer is.
"""

from __future__ import annotations

import socket
from collections.abc import Callable
from typing import TYPE_CHECKING

from tix.core.errors import Unavailable

if TYPE_CHECKING:
    from tix.bootstrap import Runtime


def bind(host: str, port: int) -> socket.socket:
    """The listening socket, or Unavailable naming the address (taken, not ours)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
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

    sock = bind(host, port)
    bound_host, bound_port = sock.getsockname()[:2]
    shown = f"[{bound_host}]" if ":" in bound_host else bound_host
    say(f"Serving on http://{shown}:{bound_port}/ (API docs at /api/docs); Ctrl-C stops.")
    common = {"proxy_headers": False, "server_header": False, "access_log": False,
              "log_level": "warning", "timeout_graceful_shutdown": 10}
    if workers == 1:
        from tix.web.app import create_app

        config = uvicorn.Config(create_app(runtime), **common)  # type: ignore[arg-type]
    else:
        config = uvicorn.Config("tix.web.app:from_environment", factory=True,
                                workers=workers, **common)  # type: ignore[arg-type]
    server = uvicorn.Server(config)
    if workers == 1:
        server.run(sockets=[sock])
    else:
        from uvicorn.supervisors import Multiprocess

        Multiprocess(config, sockets=[sock]).run()
