"""tix hold: the id on stdout for scripts, the JSON shape, and the refusals' exit codes."""

from tests.catalog_support import an_event
from tests.support import PASSWORD, logged_in


def test_hold_prints_the_id_or_the_json_shape_and_refuses_with_exit_5(tix):
    event_id = an_event(tix.runtime)
    seated = tix.runtime.catalog.show(event_id).ticket_types[1]
    assert tix("hold", seated.id, "--quantity", "2").exit_code == 3  # not logged in
    logged_in(tix.runtime)
    tix.login("ann@example.com", PASSWORD)
    plain = tix("hold", seated.id, "--quantity", "2")
    assert plain.exit_code == 0 and len(plain.stdout.strip()) == 36
    held = tix("hold", seated.id, "--quantity", "3", "--json").json()
    assert set(held) == {"id", "ticket_type_id", "quantity", "expires_at", "lines"}
    assert held["lines"] == [{"ticket_type_id": seated.id, "quantity": 3}]
    assert held["quantity"] == 3 and held["ticket_type_id"] == seated.id
    too_many = tix("hold", seated.id, "--quantity", "16")
    assert too_many.exit_code == 5 and "15 left, 16 asked" in too_many.stderr
    assert tix("hold", "nope", "--quantity", "1").exit_code == 4
    assert tix("hold", seated.id, "--quantity", "0").exit_code == 2
    assert tix("event", "show", event_id, "--json").json()["ticket_types"][1][
        "available"] == 15


def test_holds_are_limited_per_user_per_minute_with_the_wait_said(tix, clock):
    from datetime import timedelta

    event_id = an_event(tix.runtime, ticket_types=[
        {"name": "General", "price": "10", "quantity": 100}])
    general = tix.runtime.catalog.show(event_id).ticket_types[0]
    logged_in(tix.runtime)
    tix.login("ann@example.com", PASSWORD)
    limit = tix.runtime.settings.holds_per_minute
    for _ in range(limit):
        assert tix("hold", general.id, "--quantity", "1").exit_code == 0
        clock.advance(timedelta(seconds=1))
    refused = tix("hold", general.id, "--quantity", "1")
    assert refused.exit_code == 5
    assert "too many holds; try again in 40 s" in refused.stderr  # the first leaves at 60 s
    logged_in(tix.runtime, "bob@example.com")
    tix.login("bob@example.com", PASSWORD)
    assert tix("hold", general.id, "--quantity", "1").exit_code == 0  # per user
    clock.advance(timedelta(seconds=40))
    tix.login("ann@example.com", PASSWORD)
    assert tix("hold", general.id, "--quantity", "1").exit_code == 0
