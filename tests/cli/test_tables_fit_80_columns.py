"""event show, event list and order list fit an 80-column terminal: no line is longer and
no id, reference, price or time is split over two lines (issue 17, item 6)."""

import pytest

from tests.catalog_support import an_event, on_team, organizer
from tests.support import PASSWORD, logged_in
from tix.core.principal import Role

LONG_NAME = "The Grand Midwinter Gala of the Philharmonic Orchestra and Friends"
LONG_VENUE = "Konzerthaus am Gendarmenmarkt, Großer Saal"
TYPES = [{"name": "Parquet, front rows with the best view", "price": "1234.50",
          "quantity": 2500, "limit": 10},
         {"name": "Balcony", "price": "65.50", "quantity": 20}]


@pytest.fixture
def sold(tix, monkeypatch):
    """Two events with long names, an order of each; the terminal is 80 columns wide."""
    monkeypatch.setenv("COLUMNS", "80")
    owner = organizer(tix.runtime)
    for days in (30, 31):
        an_event(tix.runtime, owner, days=days, name=LONG_NAME, venue=LONG_VENUE,
                 city="Berlin", ticket_types=TYPES)
    logged_in(tix.runtime, "clara@example.com", role=Role.CLERK, name="Clara Clerk")
    for event in ("E1", "E2"):
        on_team(tix.runtime, event, "clara@example.com")
    tix.login("clara@example.com", PASSWORD)
    numbers = [tix("buy", ref, "--quantity", "2", "--pay", "cash", "--tendered", "3000",
                   "--json").json()["number"] for ref in ("E1-T1", "E2-T2")]
    return tix, numbers


def lines_of(outcome) -> list[str]:
    assert outcome.exit_code == 0, outcome.stderr
    return outcome.stdout.splitlines()


def whole(value: str, lines: list[str]) -> bool:
    return any(value in line for line in lines)


def test_event_show_fits(sold):
    tix, _ = sold
    lines = lines_of(tix("event", "show", "E1"))
    assert max(map(len, lines)) <= 80, "\n".join(lines)
    for value in ("E1-T1", "E1-T2", "1,234.50 EUR", "65.50 EUR", "2498 of 2500", "20 of 20"):
        assert whole(value, lines), (value, lines)


def test_event_list_fits(sold):
    tix, _ = sold
    lines = lines_of(tix("event", "list"))
    assert max(map(len, lines)) <= 80, "\n".join(lines)
    assert len(lines) == 4  # a header, its rule and one line per event: nothing wrapped
    for value in ("E1", "E2", "65.50\u20131,234.50 EUR", "2518"):  # en dash
        assert whole(value, lines), (value, lines)
    assert all("…" in line for line in lines[2:])  # the long name gave way, not the numbers


def test_order_list_fits(sold):
    tix, numbers = sold
    lines = lines_of(tix("order", "list"))
    assert max(map(len, lines)) <= 80, "\n".join(lines)
    assert len(lines) == 4
    for value in (*numbers, "E1 The Grand", "E2 The Grand", "2,469.00 EUR", "131.00 EUR",
                  "COMPLETED"):
        assert whole(value, lines), (value, lines)


def test_a_wide_terminal_shows_names_whole(sold, monkeypatch):
    tix, _ = sold
    monkeypatch.setenv("COLUMNS", "200")
    lines = lines_of(tix("event", "list"))
    assert whole(LONG_NAME, lines) and whole(f"{LONG_VENUE}, Berlin", lines)
