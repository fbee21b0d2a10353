"""A payment service that fails on purpose, for bench/load.py.

localstripe (the Stripe-compatible server the tests use) runs behind a proxy. While
`failing` is set, the proxy fails a share of the calls with 500, half of them before
passing the call on (nothing happened) and half after (it happened, the reply is lost):
the two ways a real payment endpoint fails a client.
"""

from __future__ import annotations

import http.server
import random
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from typing import Any

from tests.stripe_server import SERVE

API_KEY = "sk_test_load"


class PaymentService:
    def __init__(self, failure_share: float = 0.2) -> None:
        self._process, port = _start_localstripe()
        self.target = f"http://127.0.0.1:{port}"
        self.failure_share = failure_share
        self.failing = False
        self.calls: Counter[str] = Counter()
        self._lock = threading.Lock()
        self._random = random.Random(7)
        self._server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self.base = f"http://127.0.0.1:{self._server.server_address[1]}"
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def _fate(self) -> str:
        with self._lock:
            draw = self._random.random()
            fate = ("refused" if draw < self.failure_share / 2 else
                    "reply lost" if draw < self.failure_share else "passed") \
                if self.failing else "passed"
            self.calls[fate] += 1
            return fate

    def _handler(self) -> type[http.server.BaseHTTPRequestHandler]:
        service = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def _forward(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                fate = service._fate()
                if fate != "refused":
                    status, payload = service._pass_on(self.command, self.path, body,
                                                       dict(self.headers.items()))
                if fate != "passed":
                    status, payload = 500, (b'{"error": {"type": "api_error", '
                                            b'"message": "injected failure"}}')
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up waiting (its timeout): as with a real service

            do_GET = do_POST = do_DELETE = _forward  # noqa: N815

            def log_message(self, *args: object) -> None:
                pass

        return Handler

    def _pass_on(self, method: str, path: str, body: bytes,
                 headers: dict[str, str]) -> tuple[int, bytes]:
        request = urllib.request.Request(
            self.target + path, data=body if method == "POST" else None, method=method,
            headers={k: v for k, v in headers.items()
                     if k.lower() not in ("host", "content-length", "connection")})
        try:
            with urllib.request.urlopen(request, timeout=20) as answer:
                return answer.status, answer.read()
        except urllib.error.HTTPError as error:
            return error.code, error.read()

    def intents(self) -> list[dict[str, Any]]:
        """Every PaymentIntent the service holds, asked directly (no faults)."""
        page = self._client().v1.payment_intents.list(params={"limit": 100})
        return [intent.to_dict() for intent in page.auto_paging_iter()]

    def refunds(self) -> list[dict[str, Any]]:
        page = self._client().v1.refunds.list(params={"limit": 100})
        return [refund.to_dict() for refund in page.auto_paging_iter()]

    def _client(self) -> Any:
        import stripe

        return stripe.StripeClient(API_KEY, base_addresses={"api": self.target})

    def close(self) -> None:
        self._server.shutdown()
        self._process.terminate()
        self._process.wait(10)


def _start_localstripe() -> tuple[subprocess.Popen[bytes], int]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = subprocess.Popen([sys.executable, "-c", SERVE, str(port)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return process, port
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise SystemExit("localstripe did not start within 20 s")
