"""The daemon's HTTP listener (`tix daemon --http HOST:PORT`), for operators and the world:

  GET  /healthz          the process is up
  GET  /readyz           the database (and the queue) answer; 503 and why, if not
  GET  /metrics          Prometheus text: orders, holds, sold-out types, queue lag, mail...
  GET  /t/<ticket id>    the mobile ticket page, its QR code big enough to scan
  GET  /verify?token=…   the verification mail's link: verifies the account
  GET  /reset?token=…    the reset mail's link: a form for the new password
  POST /reset            that form: sets the password (tix/account_links.py)
  POST /webhooks/stripe  Stripe's events, signature checked, fed into the payment saga

The standard library's threading server: a handful of cheap routes need no framework.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import ClassVar

from tix import account_links
from tix.bootstrap import Runtime
from tix.core.errors import Invalid, NotFound, TixError, Unavailable
from tix.documents import ticket_page
from tix.error_table import http_status, retry_after
from tix.operations import metrics, readiness
from tix.webhooks import payment_webhook

log = logging.getLogger("tix.listener")
MAX_BODY = 1 << 20  # a webhook is a few kilobytes


class Listener:
    def __init__(self, runtime: Runtime, host: str, port: int) -> None:
        handler = type("Handler", (_Handler,), {"runtime": runtime})
        try:
            self._server = ThreadingHTTPServer((host, port), handler)
        except OSError as error:
            raise Unavailable(f"--http {host}:{port}: {error.strerror}") from None
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever,
                                        name="http-listener", daemon=True)

    @property
    def address(self) -> tuple[str, int]:
        host, port = self._server.server_address[:2]
        return str(host), int(port)

    def start(self) -> None:
        self._thread.start()
        log.info("listening on http://%s:%d", *self.address)

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()


def parse_address(text: str) -> tuple[str, int]:
    host, _, port = text.rpartition(":")
    if not host or not port.isdigit() or not 0 <= int(port) < 65536:
        raise Invalid(f"--http: {text!r} is not HOST:PORT (e.g. 127.0.0.1:8000)")
    return host, int(port)


class _Handler(BaseHTTPRequestHandler):
    runtime: ClassVar[Runtime]
    server_version = "tix"

    def do_GET(self) -> None:
        path, _, query = self.path.partition("?")
        if path == "/healthz":
            self._send(HTTPStatus.OK, "ok\n")
        elif path == "/readyz":
            problems = readiness(self.runtime)
            self._send(HTTPStatus.SERVICE_UNAVAILABLE if problems else HTTPStatus.OK,
                       "\n".join(problems or ["ready"]) + "\n")
        elif path == "/metrics":
            self._guarded(lambda: self._send(HTTPStatus.OK, metrics(self.runtime),
                                             "text/plain; version=0.0.4"))
        elif path.startswith("/t/"):
            self._guarded(lambda: self._send(
                HTTPStatus.OK, ticket_page(self.runtime, path[3:]), "text/html; charset=utf-8"))
        elif path == "/verify":
            self._send_page(account_links.verify(self.runtime.accounts, query))
        elif path == "/reset":
            self._send_page(account_links.reset_form(self.runtime.accounts, query))
        else:
            self._send(HTTPStatus.NOT_FOUND, "not found\n")

    def do_POST(self) -> None:
        path = self.path.split("?", 1)[0]
        if path == "/reset":
            form = self._body(account_links.MAX_FORM)
            if form is not None:
                self._send_page(account_links.reset(self.runtime.accounts, form))
        elif path == "/webhooks/stripe":
            payload = self._body(MAX_BODY)
            signature = self.headers.get("Stripe-Signature", "")
            if payload is not None:
                self._guarded(lambda: self._send(
                    HTTPStatus.OK, payment_webhook(self.runtime, payload, signature) + "\n"))
        else:
            self._send(HTTPStatus.NOT_FOUND, "not found\n")

    def _body(self, limit: int) -> bytes | None:
        """The request's body, or None once a missing or oversized one was answered."""
        length = self.headers.get("Content-Length") or "0"
        if not length.isdigit():
            self._send(HTTPStatus.BAD_REQUEST, "Content-Length is not a number\n")
            return None
        if int(length) > limit:
            self._send(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, "too large\n")
            return None
        return self.rfile.read(int(length))

    def _guarded(self, answer: Callable[[], None]) -> None:
        """Run a route; tix's errors become their HTTP status (the table every face uses),
        one line, no traceback. What was not found is not described: a ticket's link is
        its id, and a wrong one says nothing of the right ones."""
        try:
            answer()
        except NotFound:
            self._send(HTTPStatus.NOT_FOUND, "not found\n")
        except TixError as error:
            wait = retry_after(error)
            self._send(http_status(error), error.message + "\n",
                       headers=None if wait is None else {"Cache-Control": "no-store",
                                                          "Retry-After": str(wait)})

    def _send_page(self, page: account_links.Page) -> None:
        self._send(page.status, page.html, "text/html; charset=utf-8",
                   account_links.SECURITY_HEADERS)

    def _send(self, status: HTTPStatus, body: str, content_type: str = "text/plain",
              headers: dict[str, str] | None = None) -> None:
        data = body.encode()
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        for name, value in (headers or {"Cache-Control": "no-store"}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: object) -> None:
        # paths carry ticket ids (a ticket's link): log the route, not the id
        route = self.path.split("?", 1)[0]
        route = "/t/…" if route.startswith("/t/") else route
        log.debug("%s %s %s", self.command, route, args[1] if len(args) > 1 else "")
