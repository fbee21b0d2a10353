"""A one-second cache of the API's public catalog reads (GET /api/events…), in this process.

An event's JSON or a search is the same for every anonymous caller, and during a sale a
crowd asks for it many times a second: the catalog's own cache still costs a Redis read
and a database round trip (the tickets left, read live) and the route a thread. Here the
finished answer is kept for TIX_WEB_CACHE_SECONDS (default 1; 0 turns it off), so its
tickets left are at most that old — like the shop's live.js, which re-reads them every
5 s. Only anonymous GETs (no Authorization, no session cookie: a draft is shown to its
organizer) answered 200 are kept. Any state-changing request this process serves empties
the cache when it is done, so a client sees its own purchase or change at once; another
process's shows within the second.

A pure ASGI middleware, inside tix.web.security's (which adds the headers to every answer).
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from tix.web.sessions import COOKIE

if TYPE_CHECKING:
    from tix.web.security import ASGIApp, Message, Receive, Scope, Send

CACHED_PREFIX = "/api/events"
MOST_KEPT = 2048  # answers; a flood of distinct searches cannot grow it without bound
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})

Answer = tuple[float, list["Message"]]  # (kept until, the messages sent)


class MicroCache:
    def __init__(self, app: ASGIApp, seconds: float) -> None:
        self.app = app
        self.seconds = seconds
        self.kept: dict[bytes, Answer] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or self.seconds <= 0:
            await self.app(scope, receive, send)
            return
        if scope["method"] not in SAFE_METHODS:
            try:
                await self.app(scope, receive, send)
            finally:
                self.kept.clear()  # this process changed something: nothing kept is sure
            return
        key = _key(scope)
        if key is None:
            await self.app(scope, receive, send)
            return
        now = time.monotonic()
        found = self.kept.get(key)
        if found is not None and found[0] > now:
            for message in found[1]:
                await send(dict(message))  # the outer middleware adds to its own copy
            return
        sent: list[Message] = []

        async def keeping(message: Message) -> None:
            sent.append(dict(message))  # as the application sent it
            await send(message)

        await self.app(scope, receive, keeping)
        if _complete_ok(sent):
            if len(self.kept) >= MOST_KEPT:
                self.kept.clear()
            self.kept[key] = (now + self.seconds, sent)


def _key(scope: Scope) -> bytes | None:
    """What the answer depends on, or None when it may be the caller's own."""
    path: str = scope["path"]
    if scope["method"] != "GET" or not path.startswith(CACHED_PREFIX):
        return None
    for name, value in scope.get("headers", ()):
        if name == b"authorization" or (name == b"cookie" and
                                        COOKIE.encode() + b"=" in value):
            return None
    return path.encode() + b"?" + bytes(scope.get("query_string", b""))


def _complete_ok(sent: list[Message]) -> bool:
    """One 200 answer whose body went out whole (no streaming, no cookie of its own)."""
    if not sent or sent[0]["type"] != "http.response.start" or sent[0]["status"] != 200:
        return False
    if any(name.lower() == b"set-cookie" for name, _ in sent[0].get("headers", ())):
        return False
    last = sent[-1]
    return last["type"] == "http.response.body" and not last.get("more_body", False)
