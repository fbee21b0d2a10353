"""The second-long cache of public catalog reads (tix.web.microcache): an anonymous caller
may get an answer up to TIX_WEB_CACHE_SECONDS old; a caller with a session never gets a
kept one, and a change made through this process shows at once."""

from __future__ import annotations

import dataclasses

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
