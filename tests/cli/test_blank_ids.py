"""An empty or blank id is the caller's mistake: exit 2 saying it is required, not 4."""

import pytest


@pytest.mark.parametrize(("command", "what"), [
    (("event", "show"), "an event id"), (("event", "update"), "an event id"),
    (("event", "cancel"), "an event id"), (("event", "sales"), "an event id"),
    (("order", "show"), "an order id"), (("order", "cancel"), "an order id"),
    (("ticket", "show"), "a ticket id"), (("checkout",), "a hold id"),
    (("order", "refund"), "an order id"), (("ticket", "void"), "a ticket id"),
    (("ticket", "rename"), "a ticket id"), (("ticket", "transfer"), "a ticket id")])
@pytest.mark.parametrize("blank", ["", "   "])
def test_an_empty_id_is_required_not_missing(tix_sqlite, command, what, blank):
    said = tix_sqlite(*command, blank)
    assert (said.exit_code, said.stderr) == (2, f"tix: {what} is required (it was empty)\n")
