"""The second-long cache of public catalog reads (tix.web.microcache): an anonymous caller
may get an answer up to TIX_WEB_CACHE_SECONDS old; a caller with a session never gets a
kept one, and a change made through this process shows at once."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from types import SimpleNamespace

import pytest
from fastapi.testclient import TestClient

from tests.catalog_support import an_event, organizer
from tests.web.conftest import bearer
from tix.web import microcache
from tix.web.app import create_app


def test_anonymous_reads_are_kept_a_second_and_a_change_here_empties_them(web, monkeypatch):
    runtime = web.app.state.runtime
    owner = organizer(runtime)
    event_id = an_event(runtime, owner, name="Nils Frahm live")
    now = [1000.0]
    monkeypatch.setattr(microcache.time, "monotonic", lambda: now[0])
    path = f"/api/events/{event_id}"
    assert web.get(path).json()["name"] == "Nils Frahm live"
    assert web.get("/api/events", params={"q": "nils"}).json()[0]["name"] == "Nils Frahm live"
    # another process (here: the runtime itself) renames it: kept answers are still served
    runtime.catalog.update(owner, event_id, {"name": "Nils Frahm, late show"})
    kept = web.get(path)
    assert kept.json()["name"] == "Nils Frahm live"
    assert kept.headers["content-security-policy"]  # the security headers on a kept answer
    assert kept.headers.get("set-cookie") is None
    assert web.get("/api/events", params={"q": "nils"}).json()[0]["name"] == "Nils Frahm live"
    # ... but never to a caller with a session, who may see drafts
    buyer = bearer(runtime, "bea@example.com")
    assert web.get(path, headers=buyer).json()["name"] == "Nils Frahm, late show"
    now[0] += 1.01  # a second later: read again
    assert web.get(path).json()["name"] == "Nils Frahm, late show"
    runtime.catalog.update(owner, event_id, {"name": "Nils Frahm, encore"})
    assert web.get(path).json()["name"] == "Nils Frahm, late show"  # kept again
    # a state-changing request through this process (even one refused) empties the cache
    refused = web.post("/api/orders", json={"items": [], "tender": "free"}, headers=buyer)
    assert refused.status_code == 422
    assert web.get(path).json()["name"] == "Nils Frahm, encore"
    assert web.get("/api/events", params={"q": "nils"}).json()[0]["name"] == "Nils Frahm, encore"


def test_errors_are_not_kept_and_zero_seconds_turns_it_off(runtime):
    owner = organizer(runtime)
    event_id = an_event(runtime, owner, name="Nils Frahm live")
    kept = TestClient(create_app(runtime), base_url="http://shop.test")
    assert kept.get("/api/events/E999").status_code == 404
    assert kept.get("/api/events", params={"limit": "0"}).status_code == 422
    assert _cache_of(kept).kept.entries == {}
    assert kept.get(f"/api/events/{event_id}").status_code == 200
    assert len(_cache_of(kept).kept.entries) == 1
    runtime.settings = dataclasses.replace(runtime.settings, web_cache_seconds=0)
    off = TestClient(create_app(runtime), base_url="http://shop.test")
    assert off.get(f"/api/events/{event_id}").json()["name"] == "Nils Frahm live"
    runtime.catalog.update(owner, event_id, {"name": "Nils Frahm, late show"})
    assert off.get(f"/api/events/{event_id}").json()["name"] == "Nils Frahm, late show"
    assert _cache_of(off).kept.entries == {}


def _cache_of(client: TestClient) -> microcache.MicroCache:
    app = client.app.middleware_stack  # type: ignore[attr-defined]
    while not isinstance(app, microcache.MicroCache):
        app = app.app
    return app


def test_a_stale_answer_is_read_again_by_one_caller_while_the_others_are_given_it():
    store = microcache.Kept(1)
    request = SimpleNamespace(app=SimpleNamespace(state=SimpleNamespace(kept=store)))
    now = [1000.0]
    reads: list[str] = []

    def read(value: str, meanwhile: Callable[[], object] | None = None) -> Callable[[], str]:
        def reading() -> str:
            reads.append(value)
            if meanwhile is not None:
                meanwhile()
            return value
        return reading

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(microcache.time, "monotonic", lambda: now[0])
        assert microcache.kept(request, "page", read("first")) == "first"
        assert microcache.kept(request, "page", read("unused")) == "first"
        now[0] += 1.01
        others: list[object] = []
        # while one caller reads again, another is answered the stale value, not a read
        assert microcache.kept(request, "page", read("second", lambda: others.append(
            microcache.kept(request, "page", read("stampede"))))) == "second"
        assert others == ["first"]
        assert microcache.kept(request, "page", read("unused")) == "second"
        # a change here while a caller reads: what it read is kept stale, read again next
        store.clear()
        assert microcache.kept(request, "page", read("third", store.clear)) == "third"
        assert microcache.kept(request, "page", read("fourth")) == "fourth"
        # a refused read is not kept, and the stale value is not served in its place
        store.clear()

        def refused() -> str:
            raise LookupError("gone")
        with pytest.raises(LookupError):
            microcache.kept(request, "page", refused)
        assert "page" not in store.entries
        assert microcache.kept(request, "page", read("fifth")) == "fifth"
    assert reads == ["first", "second", "third", "fourth", "fifth"]


def test_a_kept_answer_gone_stale_is_not_served_in_place_of_an_error(monkeypatch):
    answers = [200, 404, 404]

    async def app(scope, receive, send):  # type: ignore[no-untyped-def]
        status = answers.pop(0)
        await send({"type": "http.response.start", "status": status, "headers": []})
        await send({"type": "http.response.body", "body": str(status).encode()})

    now = [1000.0]
    monkeypatch.setattr(microcache.time, "monotonic", lambda: now[0])
    client = TestClient(microcache.MicroCache(app, microcache.Kept(1)))
    assert client.get("/api/events/E1").status_code == 200
    assert client.get("/api/events/E1").status_code == 200  # kept
    now[0] += 1.01
    assert client.get("/api/events/E1").status_code == 404  # read again: gone
    assert client.get("/api/events/E1").status_code == 404  # and not the stale 200
    assert answers == []


def test_a_flood_of_distinct_reads_pushes_out_the_longest_unread_not_a_page_read_each_second():
    store = microcache.Kept(1)
    now, searches = 1000.0, 0
    store.put("event page", "page", now, store.generation)
    for second in range(6):  # each second: the page read again, and a flood of searches
        now = 1000.0 + second
        if store.get("event page", now) is None:
            store.put("event page", "page", now, store.generation)
        for _ in range(microcache.MOST_KEPT // 3):
            searches += 1
            store.put(f"search {searches}", "results", now, store.generation)
        assert store.get("event page", now) == "page", second
        assert len(store.entries) <= microcache.MOST_KEPT
    assert store.get(f"search {searches}", now) == "results"  # the newest are kept too
    assert store.get("search 1", now) is None  # the flood's oldest went
