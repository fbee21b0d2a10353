"""The shop's front page, search and event page keep what they read a second for visitors without a
session (tix.web.microcache): the page is still each browser's own (its CSRF token), a
change made through this process shows at once, and a logged-in buyer reads live."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from tests.catalog_support import an_event, organizer
from tests.support import PASSWORD, user
from tix.web import microcache
from tix.web.app import create_app

HTML = {"Accept": "text/html"}


def _token(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found, html[-400:]
    return found.group(1)


def test_the_event_page_and_search_are_read_once_a_second_for_visitors(runtime, monkeypatch):
    owner = organizer(runtime)
    event_id = an_event(runtime, owner, name="Nils Frahm live")
    now = [1000.0]
    monkeypatch.setattr(microcache.time, "monotonic", lambda: now[0])
    app = create_app(runtime)
    first, second, buyer = (TestClient(app, base_url="http://shop.test") for _ in range(3))
    user(runtime, "bea@example.com")
    buyer.post("/login", data={"csrf_token": _token(buyer.get("/login", headers=HTML).text),
                               "email": "bea@example.com", "password": PASSWORD},
               headers=HTML)
    assert buyer.cookies.get("tix_session")
    page = first.get(f"/events/{event_id}", headers=HTML).text
    assert "Nils Frahm live" in page
    assert "Nils Frahm live" in first.get("/search?q=nils", headers=HTML).text
    assert "Nils Frahm live" in first.get("/", headers=HTML).text
    runtime.catalog.update(owner, event_id, {"name": "Nils Frahm, late show"})  # elsewhere
    again = second.get(f"/events/{event_id}", headers=HTML).text
    assert "Nils Frahm live" in again and "late show" not in again
    assert _token(again) != _token(page)  # each browser's own form token all the same
    assert "late show" not in second.get("/search?q=nils", headers=HTML).text
    assert "late show" not in second.get("/", headers=HTML).text
    # a buyer with a session reads the event live
    assert "Nils Frahm, late show" in buyer.get(f"/events/{event_id}", headers=HTML).text
    now[0] += 1.01  # a second later, visitors read it again
    assert "Nils Frahm, late show" in second.get(f"/events/{event_id}", headers=HTML).text
    assert "late show" in second.get("/search?q=nils", headers=HTML).text
    runtime.catalog.update(owner, event_id, {"name": "Nils Frahm, encore"})
    assert "encore" not in second.get(f"/events/{event_id}", headers=HTML).text  # kept
    # a change made through this process (the buyer logs out) empties what was kept
    page = buyer.get(f"/events/{event_id}", headers=HTML).text
    buyer.post("/logout", data={"csrf_token": _token(page)}, headers=HTML)
    assert "Nils Frahm, encore" in second.get(f"/events/{event_id}", headers=HTML).text
    assert "Nils Frahm, encore" in second.get("/search?q=nils", headers=HTML).text
    assert "Nils Frahm, encore" in second.get("/", headers=HTML).text
