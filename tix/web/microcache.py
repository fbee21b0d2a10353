"""A one-second cache of the API's public catalog reads (GET /api/events…), in this process.

An event's JSON or a search is the same for every anonymous caller, and during a sale a
crowd asks for it many times a second: the catalog's own cache still costs a Redis read
and a database round trip (the tickets left, read live) and the route a thread. Here the
finished answer is kept for TIX_WEB_CACHE_SECONDS (default 1; 0 turns it off), so its
tickets left are at most that old (and one read) — like the shop's live.js, which re-reads
them every 5 s. Only anonymous GETs (no Authorization, no session cookie: a draft is shown
to its organizer) answered 200 are kept. Any state-changing request this process serves
makes what is kept stale when it is done, so the next caller reads again and a client
sees its own purchase or change at once; another process's shows within the second.

A pure ASGI middleware, inside tix.web.security's (which adds the headers to every answer).
The storefront's pages, whose HTML carries each browser's CSRF token, keep what they read
instead (`kept`: the same second, made stale by the same changes).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from tix.web.sessions import COOKIE

if TYPE_CHECKING:
    from fastapi import Request

    from tix.web.security import ASGIApp, Message, Receive, Scope, Send

T = TypeVar("T")

CACHED_PREFIX = "/api/events"
MOST_KEPT = 2048  # answers; a flood of distinct searches cannot grow it without bound
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})



class Kept:
    """Values kept `seconds` in this process (threads share it: each step is atomic).

    When a value goes stale (its second is up, or this process changed something), the
    first caller to ask reads it again while the callers meanwhile are answered the stale
    one: a crowd never reads all at once. Before, every caller that came during the read
    read too, so when reads were slow (a busy machine) the crowd made them slower still.
    """

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.entries: dict[object, tuple[float, int, Any]] = {}  # (until, generation, value)
        self.generation = 0  # moved on by `clear`: everything kept before is stale

    def get(self, key: object, now: float) -> Any:
        """The value to answer with, or None: then the caller reads it and `put`s it (or
        `forget`s the key when what it read is not to be kept)."""
        found = self.entries.get(key)
        if found is None:
            return None
        until, generation, value = found
        if until > now and generation == self.generation:
            return value
        # stale: this caller reads; the others get this value for the time of that read
        self.entries[key] = (now + self.seconds, self.generation, value)
        return None

    def put(self, key: object, value: Any, now: float, generation: int) -> None:
        """Keep what was read since `generation` (taken before `get`): a value read across
        a change is stored stale, so the next caller reads again."""
        if len(self.entries) >= MOST_KEPT:
            self._make_room()
        self.entries.pop(key, None)  # to the end: the first kept are the longest unread
        self.entries[key] = (now + self.seconds, generation, value)

    def _make_room(self) -> None:
        """Drop the half read longest ago: a flood of distinct searches pushes out its
        own kind, not the pages read again every second (emptying it all would send the
        whole crowd of a popular page to the database at once)."""
        for key in list(self.entries)[:MOST_KEPT // 2]:  # a copy: other threads put too
            self.entries.pop(key, None)

    def forget(self, key: object) -> None:
        self.entries.pop(key, None)

    def clear(self) -> None:
        self.generation += 1


def kept(request: Request, key: object, read: Callable[[], T]) -> T:
    """What `read()` returns, kept a second: only for what is the same for every caller
    who has no session (the caller checks that)."""
    store: Kept | None = getattr(request.app.state, "kept", None)
    if store is None or store.seconds <= 0:
        return read()
    now, generation = time.monotonic(), store.generation
    found = store.get(key, now)
    if found is None:
        found = _read_and_keep(store, key, read, now, generation)
    return found  # type: ignore[no-any-return]


async def kept_async(request: Request, key: object, read: Callable[[], T]) -> T:
    """`kept` for an async route: what is kept is answered on the event loop, without a
    thread (under load a thread's turn is most of the wait); `read()` runs in one."""
    from starlette.concurrency import run_in_threadpool

    store: Kept | None = getattr(request.app.state, "kept", None)
    if store is None or store.seconds <= 0:
        return await run_in_threadpool(read)
    now, generation = time.monotonic(), store.generation
    found = store.get(key, now)
    if found is None:
        found = await run_in_threadpool(_read_and_keep, store, key, read, now, generation)
    return found  # type: ignore[no-any-return]


def _read_and_keep(store: Kept, key: object, read: Callable[[], T], now: float,
                   generation: int) -> T:
    try:
        found = read()
    except BaseException:
        store.forget(key)  # a refusal is not kept, nor the stale value served in its place
        raise
    store.put(key, found, now, generation)
    return found


class MicroCache:
    def __init__(self, app: ASGIApp, kept: Kept) -> None:
        self.app = app
        self.kept = kept
        self.seconds = kept.seconds

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
        now, generation = time.monotonic(), self.kept.generation
        found: list[Message] | None = self.kept.get(key, now)
        if found is not None:
            for message in found:
                await send(dict(message))  # the outer middleware adds to its own copy
            return
        sent: list[Message] = []

        async def keeping(message: Message) -> None:
            sent.append(dict(message))  # as the application sent it
            await send(message)

        try:
            await self.app(scope, receive, keeping)
        finally:
            if _complete_ok(sent):
                self.kept.put(key, sent, now, generation)
            else:  # an error, a cookie, a stream: not kept, nor the stale answer served
                self.kept.forget(key)


def _key(scope: Scope) -> tuple[str, bytes] | None:
    """What the answer depends on, or None when it may be the caller's own."""
    path: str = scope["path"]
    if scope["method"] != "GET" or not path.startswith(CACHED_PREFIX):
        return None
    for name, value in scope.get("headers", ()):
        if name == b"authorization" or (name == b"cookie" and
                                        COOKIE.encode() + b"=" in value):
            return None
    return path, bytes(scope.get("query_string", b""))


def _complete_ok(sent: list[Message]) -> bool:
    """One 200 answer whose body went out whole (no streaming, no cookie of its own)."""
    if not sent or sent[0]["type"] != "http.response.start" or sent[0]["status"] != 200:
        return False
    if any(name.lower() == b"set-cookie" for name, _ in sent[0].get("headers", ())):
        return False
    last = sent[-1]
    return last["type"] == "http.response.body" and not last.get("more_body", False)
