"""The listener answers each refusal with its status from the shared error table (it
answered 503 to all): a rule's refusal is 409, asking too often 429, a lock wait 503 with
Retry-After, bad input 400."""

from __future__ import annotations

import urllib.error
import urllib.request

import pytest

import tix.listener
from tix.core.errors import Busy, Invalid, RuleViolation, TixError
from tix.listener import Listener


@pytest.fixture
def served(runtime):
    listener = Listener(runtime, "127.0.0.1", 0)
    listener.start()
    host, port = listener.address
    yield f"http://{host}:{port}"
    listener.stop()


def answer(url: str) -> tuple[int, str, str | None]:
    try:
        with urllib.request.urlopen(url, timeout=5) as reply:
            return reply.status, reply.read().decode(), reply.headers.get("Retry-After")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(), error.headers.get("Retry-After")


@pytest.mark.parametrize(("error", "status", "retry_after"), [
    (RuleViolation("sold out", code="sold_out"), 409, None),
    (RuleViolation("too many requests", code="rate_limited", retry_after=3), 429, "3"),
    (Busy("the database is busy"), 503, "1"),
    (Invalid("not a number"), 400, None),
])
def test_each_refusal_has_its_own_status(served, monkeypatch, error: TixError, status: int,
                                         retry_after: str | None):
    def refuse(_runtime: object) -> str:
        raise error

    monkeypatch.setattr(tix.listener, "metrics", refuse)
    assert answer(f"{served}/metrics") == (status, error.message + "\n", retry_after)
