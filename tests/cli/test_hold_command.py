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
    assert set(held) == {"id", "ticket_type_id", "quantity", "expires_at"}
    assert held["quantity"] == 3 and held["ticket_type_id"] == seated.id
    too_many = tix("hold", seated.id, "--quantity", "16")
    assert too_many.exit_code == 5 and "15 left, 16 asked" in too_many.stderr
    assert tix("hold", "nope", "--quantity", "1").exit_code == 4
    assert tix("hold", seated.id, "--quantity", "0").exit_code == 2
    assert tix("event", "show", event_id, "--json").json()["ticket_types"][1][
        "available"] == 15
