from datetime import UTC, datetime

import pytest

from tix.cli.event import parse_ticket_type_option
from tix.core.catalog.money import format_money, to_minor
from tix.core.catalog.spec import check_event
from tix.core.errors import Invalid

NOW = datetime(2026, 11, 24, 12, tzinfo=UTC)


def spec(**overrides):
    base = {"name": "Gig", "venue": "Club", "city": "Berlin", "starts": "2027-01-10T20:00",
            "ends": "2027-01-10T23:00", "timezone": "Europe/Berlin", "currency": "EUR",
            "ticket_types": [{"name": "GA", "price": "25.00", "quantity": 10, "limit": 4}]}
    return base | overrides


def test_local_times_are_read_in_the_events_zone_and_stored_as_utc():
    checked = check_event(spec(), now=NOW)
    assert checked.starts_at == datetime(2027, 1, 10, 19, tzinfo=UTC)  # CET is UTC+1


def test_money_is_exact_minor_units_per_currency():
    assert to_minor("25.00", "EUR") == 2500
    assert to_minor("0.1", "EUR") == 10
    assert to_minor("1500", "JPY") == 1500
    assert format_money(2550, "EUR") == "25.50 EUR"
    for bad, currency in (("25.001", "EUR"), ("1.5", "JPY"), ("abc", "EUR"), ("nan", "EUR")):
        with pytest.raises(Invalid):
            to_minor(bad, currency)


@pytest.mark.parametrize("overrides, field", [
    ({"starts": "2026-01-01T20:00", "ends": "2026-01-01T22:00"}, "starts"),
    ({"ends": "2027-01-10T19:00"}, "ends"),
    ({"timezone": "Mars/Olympus"}, "timezone"),
    ({"timezone": "a" * 300}, "timezone"),  # longer than a file name may be
    ({"currency": "XXX"}, "currency"),
    ({"category": "opera-ish"}, "category"),
    ({"name": "x" * 201}, "name"),
    ({"name": "  "}, "name"),
    ({"image_url": "javascript:alert(1)"}, "image_url"),
    ({"ticket_types": []}, "ticket_types"),
    ({"ticket_types": [{"name": "GA", "price": "-1", "quantity": 1}]}, "ticket_types[0].price"),
    ({"ticket_types": [{"name": "GA", "price": "1", "quantity": 0}]},
     "ticket_types[0].quantity"),
    ({"ticket_types": [{"name": "GA", "price": "1", "quantity": 5, "limit": 6}]},
     "ticket_types[0].limit"),
    ({"ticket_types": [{"name": "GA", "price": "1", "quantity": 5,
                        "sale_ends": "2027-01-11T10:00"}]}, "ticket_types[0].sale_ends"),
    ({"ticket_types": [{"name": "GA", "price": "1", "quantity": 5},
                       {"name": "ga", "price": "2", "quantity": 5}]}, "ticket_types"),
    ({"surprise": 1}, "surprise"),
])
def test_each_rule_names_its_field(overrides, field):
    with pytest.raises(Invalid) as caught:
        check_event(spec(**overrides), now=NOW)
    assert caught.value.message.startswith(field + ":"), caught.value.message


def test_the_default_cancellation_policy_and_a_custom_one():
    default = check_event(spec(), now=NOW).cancellation_policy
    assert [r.percent for r in default] == [100, 50]
    custom = check_event(spec(cancellation_policy=[{"before_days": 1, "percent": 80}]),
                         now=NOW).cancellation_policy
    assert custom[0].percent == 80 and custom[0].before.days == 1


def test_the_ticket_type_option_reads_name_price_quantity_and_limit():
    assert parse_ticket_type_option("VIP: Lounge:99.90:50:2") == {
        "name": "VIP: Lounge", "price": "99.90", "quantity": "50", "limit": "2"}
    assert parse_ticket_type_option("GA:10:100") == {"name": "GA", "price": "10",
                                                     "quantity": "100"}
    with pytest.raises(Invalid):
        parse_ticket_type_option("GA:10")
