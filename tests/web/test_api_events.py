"""/api/events through HTTP: finding events as `tix event list` does, suggestions, one
event, and organizers' changes with the refusals of each role."""

from __future__ import annotations

from tests.catalog_support import an_event, event_spec, organizer
from tests.support import PASSWORD
from tests.web.conftest import bearer
from tix.core.principal import Role


def test_events_are_found_with_filters_sort_and_a_total(web):
    runtime = web.app.state.runtime
    owner = organizer(runtime)
    an_event(runtime, owner, name="Nils Frahm live", city="Berlin")
    an_event(runtime, owner, name="Nina Simone tribute", city="Zürich", days=40)
    found = web.get("/api/events", params={"q": "nils"})
    assert found.status_code == 200
    assert [e["name"] for e in found.json()] == ["Nils Frahm live"]
    assert found.json()[0]["number"].startswith("E") and found.headers["x-total-count"] == "1"
    zurich = web.get("/api/events", params={"city": "zurich", "sort": "date"}).json()
    assert [e["city"] for e in zurich] == ["Zürich"]
    paged = web.get("/api/events", params={"limit": 1, "page": 2})
    assert len(paged.json()) == 1 and paged.headers["x-total-count"] == "2"
    names = [s["name"] for s in web.get("/api/events/suggestions",
                                        params={"q": "Ni"}).json()]
    assert set(names) == {"Nils Frahm live", "Nina Simone tribute"}


def test_bad_filters_are_422_naming_the_parameter(web_sqlite):
    for params, field in (({"sort": "loudness"}, "sort"), ({"category": "opera"}, "category"),
                          ({"from": "soon"}, "from"), ({"min_price": "cheap"}, "min_price"),
                          ({"limit": "0"}, "limit"), ({"currency": "EURO"}, "currency")):
        answer = web_sqlite.get("/api/events", params=params)
        assert answer.status_code == 422, (params, answer.text)
        assert answer.json()["field"] == field


def test_one_event_with_its_ticket_types_or_404(web):
    runtime = web.app.state.runtime
    event_id = an_event(runtime)
    shown = web.get(f"/api/events/{event_id}").json()
    assert [t["name"] for t in shown["ticket_types"]] == ["Standing", "Seated"]
    assert shown["ticket_types"][0]["available"] == 100
    assert web.get(f"/api/events/{shown['number']}").json()["id"] == event_id
    missing = web.get("/api/events/E999")
    assert missing.status_code == 404 and missing.json()["code"] == "not_found"


def test_organizers_create_change_publish_and_cancel_their_events(web):
    runtime = web.app.state.runtime
    olga = bearer(runtime, "olga@example.com", role=Role.ORGANIZER)
    spec = event_spec(runtime, status="draft")
    created = web.post("/api/events", json=spec, headers=olga)
    assert created.status_code == 201, created.text
    event = created.json()
    assert event["status"] == "DRAFT"
    assert web.get(f"/api/events/{event['id']}").status_code == 404  # a draft: not public
    changed = web.patch(f"/api/events/{event['id']}", json={"name": "Nils Frahm, again"},
                        headers=olga)
    assert changed.json()["name"] == "Nils Frahm, again"
    assert web.post(f"/api/events/{event['id']}/publish", headers=olga).json()[
        "status"] == "SCHEDULED"
    cancelled = web.post(f"/api/events/{event['id']}/cancel", json={"reason": "ill"},
                         headers=olga)
    assert cancelled.json() == {"id": event["id"], "status": "CANCELLED"}


def test_refusals_by_role_and_input(web):
    runtime = web.app.state.runtime
    spec = event_spec(runtime)
    assert web.post("/api/events", json=spec).status_code == 401
    ann = bearer(runtime, "ann@example.com")
    refused = web.post("/api/events", json=spec, headers=ann)
    assert refused.status_code == 403 and refused.json()["code"] == "not_allowed"
    olga = bearer(runtime, "olga@example.com", role=Role.ORGANIZER)
    bad = web.post("/api/events", json={**spec, "currency": "XXX"}, headers=olga)
    assert bad.status_code in (400, 422) and "currency" in bad.json()["detail"].lower()
    not_json = web.post("/api/events", content=b"[1, 2]", headers={
        **olga, "Content-Type": "application/json"})
    assert not_json.status_code == 422
    event_id = an_event(runtime, organizer(runtime, "otto@example.com"))  # not olga's
    other = web.patch(f"/api/events/{event_id}", json={"name": "Mine now"}, headers=olga)
    assert other.status_code in (403, 404)


def test_a_code_says_what_it_gives_and_opens_hidden_types_to_hold(web_sqlite):
    from tix.core.vouchers.service import CODE_TRIES, VoucherTerms

    web = web_sqlite
    runtime = web.app.state.runtime
    owner = organizer(runtime)
    event_id = an_event(runtime, owner, ticket_types=[
        {"name": "Standing", "price": "45.00", "quantity": 10},
        {"name": "Crew", "price": "0.00", "quantity": 3, "hidden": True}])
    runtime.vouchers.create(owner, event_id, "CREW", VoucherTerms(unlock_only=True))
    runtime.vouchers.create(owner, event_id, "HALF", VoucherTerms(percent=50))
    headers = bearer(runtime)
    olga = {"Authorization": "Bearer " + runtime.accounts.login(
        email="olga@example.com", password=PASSWORD).token}
    names = {who: [t["name"] for t in web.get(f"/api/events/{event_id}?hidden=true",
                                              headers=h).json()["ticket_types"]]
             for who, h in (("olga", olga), ("ann", headers))}
    assert names == {"olga": ["Standing", "Crew"], "ann": ["Standing"]}  # its organizer's
    shown = web.post(f"/api/events/{event_id}/code", json={"code": "crew"}, headers=headers)
    assert shown.status_code == 200, shown.text
    assert (shown.json()["code"], shown.json()["percent"]) == ("CREW", 0)
    [crew] = shown.json()["ticket_types"]
    assert (crew["name"], crew["available"]) == ("Crew", 3)
    half = web.post(f"/api/events/{event_id}/code", json={"code": "half"}, headers=headers)
    assert (half.json()["percent"], half.json()["ticket_types"]) == (50, [])
    held = web.post("/api/tickets/validate-availability", headers=headers, json={
        "items": [{"ticket_type": crew["id"], "quantity": 1}], "voucher": "crew"})
    assert held.status_code == 201, held.text
    used_up = web.post(f"/api/events/{event_id}/code", json={"code": "CREW"},
                       headers=headers)  # its one use is the hold's
    assert used_up.status_code == 409 and used_up.json()["code"] == "voucher_used_up"
    unknown = web.post(f"/api/events/{event_id}/code", json={"code": "NOPE"},
                       headers=headers)
    assert unknown.status_code == 404
    for _ in range(CODE_TRIES.limit - 4):  # one asker's tries are counted
        web.post(f"/api/events/{event_id}/code", json={"code": "GUESS"}, headers=headers)
    refused = web.post(f"/api/events/{event_id}/code", json={"code": "HALF"},
                       headers=headers)
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 0
    other = web.post(f"/api/events/{event_id}/code", json={"code": "HALF"})  # an address
    assert other.status_code == 200
