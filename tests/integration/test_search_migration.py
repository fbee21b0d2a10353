"""Migration 0018: events from before it are found by their city with accents folded."""

import uuid

import pytest
from sqlalchemy import create_engine, text

from tests.conftest import PG_SERVER
from tix.adapters.db.engine import make_engine
from tix.adapters.db.migrate import upgrade

EVENT = ("INSERT INTO events (id, number, organizer_id, name, description, category, venue,"
         " city, starts_at, ends_at, timezone, currency, status, cancellation_policy,"
         " created_at, min_price, max_price, recent_sales) VALUES (:id, :number, 'u1', 'E',"
         " '', 'music', 'V', :city, '2027-01-01 20:00:00', '2027-01-01 23:00:00', 'UTC',"
         " 'EUR', 'SCHEDULED', '[]', '2026-01-01 00:00:00', 0, 0, 0)")


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def old_database(request, tmp_path):
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


def test_existing_events_get_their_folded_city(old_database):
    engine = make_engine(old_database)
    upgrade(engine, "0017")
    with engine.begin() as conn:
        conn.execute(text(
            "INSERT INTO users (id, email, email_key, name, date_of_birth, password_hash, role,"
            " created_at, failed_logins) VALUES ('u1', 'a@example.com', 'a@example.com', 'A',"
            " '1990-01-01', 'x', 'organizer', '2026-01-01 00:00:00', 0)"))
        for number, city in enumerate(["Zürich", "ZÜRICH", "København", "Berlin"], start=1):
            conn.execute(text(EVENT), {"id": f"e{number}", "number": number, "city": city})
    upgrade(engine, "0018")
    with engine.connect() as conn:
        keys = conn.execute(text("SELECT id, city_key FROM events ORDER BY id")).all()
    engine.dispose()
    assert [tuple(row) for row in keys] == [
        ("e1", "zurich"), ("e2", "zurich"), ("e3", "kobenhavn"), ("e4", "berlin")]
