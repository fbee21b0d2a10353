"""A message's payload: its plain values, surviving JSON and a queue unchanged."""

import json

from tix.core.catalog.events import EventUpdated
from tix.core.messages import load_message
from tix.core.orders.events import PaymentCompleted


def test_a_payload_round_trips_through_json_with_its_lists_and_maps():
    paid = PaymentCompleted(order_id="o1", order_number="TIX-1", user_id="u1",
                            ticket_type_id="t1", quantity=3, holders=["Ann", "Bo", "Cy"],
                            amount=2700, currency="EUR", line_types=["t1", "t2"],
                            line_quantities=[1, 2], line_prices=[900, 900], voucher="TEN",
                            discount=300)
    moved = EventUpdated(event_id="e1", event_name="Jazz",
                         changes={"starts": ["2026-12-01 20:00", "2026-12-02 20:00"]})
    for message in (paid, moved):
        payload = json.loads(json.dumps(message.to_payload()))
        assert load_message(message.message_type, payload) == message


def test_a_payload_shares_no_container_with_its_message():
    """The message is frozen: changing a payload (a handler, a retry) must not change it."""
    moved = EventUpdated(event_id="e1", event_name="Jazz", changes={"venue": ["A", "B"]})
    payload = moved.to_payload()
    payload["changes"]["venue"].append("C")
    payload["changes"]["city"] = ["X", "Y"]
    assert moved.changes == {"venue": ["A", "B"]}
