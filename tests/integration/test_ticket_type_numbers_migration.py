"""Migration 0017: ticket types created before it get their E12-T<n> numbers."""

import uuid

import pytest
from sqlalchemy import create_engine, text

from tests.conftest import PG_SERVER
from tix.adapters.db.engine import make_engine
from tix.adapters.db.migrate import upgrade

EVENT = ("INSERT INTO events (id, number, organizer_id, name, description, category, venue,"
         " city, starts_at, ends_at, timezone, currency, status, cancellation_policy,"
         " created_at, min_price, max_price, recent_sales) VALUES (:id, :number, 'u1', :name,"
         " '', 'music', 'V', 'C', '2027-01-01 20:00:00', '2027-01-01 23:00:00', 'UTC', 'EUR',"
         " 'SCHEDULED', '[]', '2026-01-01 00:00:00', 0, 0, 0)")
TICKET_TYPE = ("INSERT INTO ticket_types (id, event_id, name, price, quantity, position)"
               " VALUES (:id, :event_id, :name, 100, 10, :position)")


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def old_database(request, tmp_path):
    """A database at revision 0016, before ticket types had numbers."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'old.db'}"
        return
    name = f"tix_mig_{uuid.uuid4().hex[:8]}"
    admin = create_engine(f"{PG_SERVER}/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    yield f"{PG_SERVER}/{name}"
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def test_existing_ticket_types_are_numbered_per_event_in_their_listed_order(old_database):
    engine = make_engine(old_database)
    upgrade(engine, "0016")
    with engine.begin() as conn:
        conn.execute(text(
            "INSERT INTO users (id, email, email_key, name, date_of_birth, password_hash, role,"
            " created_at, failed_logins) VALUES ('u1', 'a@example.com', 'a@example.com', 'A',"
            " '1990-01-01', 'x', 'organizer', '2026-01-01 00:00:00', 0)"))
        for number in (1, 2):
            conn.execute(text(EVENT), {"id": f"e{number}", "number": number,
                                       "name": f"Event {number}"})
        for id_, event_id, name, position in [("a", "e1", "Seated", 1), ("b", "e1", "GA", 0),
                                              ("c", "e2", "Balcony", 0),
                                              ("d", "e1", "VIP", 2)]:
            conn.execute(text(TICKET_TYPE), {"id": id_, "event_id": event_id, "name": name,
                                             "position": position})
    upgrade(engine)
    with engine.connect() as conn:
        numbered = conn.execute(text(
            "SELECT id, number FROM ticket_types ORDER BY id")).all()
    engine.dispose()
    assert [tuple(row) for row in numbered] == [("a", 2), ("b", 1), ("c", 1), ("d", 3)]
