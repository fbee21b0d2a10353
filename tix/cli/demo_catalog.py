"""The demo's catalog: a few dozen upcoming events to search, some with few tickets left."""

from __future__ import annotations

import random
from datetime import timedelta
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tix.bootstrap import Runtime
    from tix.core.principal import Principal

CITIES = [("Berlin", "Europe/Berlin"), ("Vienna", "Europe/Vienna"), ("Paris", "Europe/Paris"),
          ("London", "Europe/London"), ("Lisbon", "Europe/Lisbon"),
          ("New York", "America/New_York"), ("Tokyo", "Asia/Tokyo"),
          ("Melbourne", "Australia/Melbourne")]
CURRENCY = {"London": "GBP", "New York": "USD", "Tokyo": "JPY", "Melbourne": "AUD"}
SHOWS = {
    "music": ["Nils Frahm live", "Jazz im Hof", "Midnight Organ Recital", "Synth Summer",
              "String Quartet No. 8"],
    "sports": ["Derby Day", "Marathon Finish Line", "Cup Final Screening", "Ice Hockey Night"],
    "theatre": ["Hamlet in the Round", "The Seagull", "Waiting for Godot"],
    "comedy": ["Stand-up Tuesday", "Improv Marathon", "Late Laughs"],
    "conference": ["PyCon Satellite", "Data Days", "Terminal Tools Summit"],
    "festival": ["Harbour Lights Festival", "Winter Market Nights", "Food Truck Fiesta"],
    "family": ["Puppet Theatre Matinee", "Science Show for Kids", "Circus of Wonders"],
    "other": ["Night at the Museum Tour", "Rooftop Cinema"],
}
VENUES = ["Funkhaus", "Porgy & Bess", "Old Town Hall", "Harbour Stage", "The Loft",
          "Grand Arena", "Riverside Theatre", "Main Square"]


DEMO_CLERK = "clerk@demo.tix"


def seed_catalog(runtime: Runtime, organizer: Principal) -> int:
    """Create the demo events unless they exist, the demo clerk on each one's team (a
    clerk sells and scans only there); returns how many were created."""
    from tix.core.catalog.model import TeamRole
    from tix.core.catalog.search import SearchQuery

    if runtime.catalog.search(SearchQuery(text="Frahm", include_past=True)).results:
        return 0
    rng = random.Random(2026)  # the same catalog every time
    now = runtime.clock.now()
    created = 0
    for category, names in SHOWS.items():
        for name in names:
            city, zone = rng.choice(CITIES)
            event_id = runtime.catalog.create(organizer, _event(rng, name, category, city,
                                                                zone, now))
            runtime.teams.add(organizer, event_id, DEMO_CLERK, TeamRole.CLERK)
            created += 1
    return created


def _event(rng: random.Random, name: str, category: str, city: str, zone: str,
           now: Any) -> dict[str, Any]:
    from datetime import datetime, time
    from zoneinfo import ZoneInfo

    day = (now + timedelta(days=rng.randint(3, 90))).date()
    start = datetime.combine(day, time(rng.choice([11, 15, 19, 20])), tzinfo=ZoneInfo(zone))
    currency = CURRENCY.get(city, "EUR")
    scale = 100 if currency == "JPY" else 1
    base = rng.choice([0, 12, 25, 39, 55, 80]) * scale
    nearly_gone = rng.random() < 0.25  # a few shows with a handful of seats
    general = rng.randint(2, 6) if nearly_gone else rng.choice([150, 300, 800])
    types = [{"name": "General admission", "price": str(base), "quantity": general,
              "limit": min(6, general)}]
    if base:
        front = rng.randint(1, 3) if nearly_gone else 40
        types.append({"name": "Front row", "price": str(base * 2), "quantity": front,
                      "limit": min(2, front)})
    return {"name": name, "category": category, "city": city, "timezone": zone,
            "venue": rng.choice(VENUES), "currency": currency,
            "description": f"{name}: a {category} evening in {city}.",
            "starts": _local(start, zone),
            "ends": _local(start + timedelta(hours=rng.choice([2, 3, 4])), zone),
            "ticket_types": types}


def _local(moment: Any, zone: str) -> str:
    from zoneinfo import ZoneInfo

    return str(moment.astimezone(ZoneInfo(zone)).strftime("%Y-%m-%dT%H:%M"))


def seed_sales(runtime: Runtime, seller: Principal) -> int:
    """Cash sales at the door: most seats of the small shows, a few of the big ones."""
    from tix.core.catalog.search import SearchQuery
    from tix.core.errors import RuleViolation
    from tix.core.orders.model import Tender, price

    rng = random.Random(11)
    sold = 0
    for summary in runtime.catalog.search(SearchQuery(limit=100)).results:
        for ticket_type in runtime.catalog.show(summary.id).ticket_types:
            small = ticket_type.quantity <= 6
            want = ticket_type.quantity - 1 if small else rng.randint(0, 12)
            while want > 0:
                quantity = min(want, ticket_type.limit or 4)
                try:
                    runtime.orders.buy(seller, ticket_type.id, quantity, tender=Tender.CASH,
                                       tendered=price(ticket_type.price, quantity),
                                       holders=[f"Guest {sold + i + 1}" for i in range(quantity)])
                except RuleViolation:  # the seller's own per-person limit: enough for a demo
                    break
                sold += quantity
                want -= quantity
    return sold
