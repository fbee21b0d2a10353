"""Databases at an older revision, with rows written as that revision stored them: for
the tests of migrations that carry existing data forward."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import Connection, Engine, create_engine, text

from tests.conftest import PG_SERVER

ORGANIZER = ("INSERT INTO users (id, email, email_key, name, date_of_birth, password_hash,"
             " role, created_at, failed_logins) VALUES ('u1', 'a@example.com',"
             " 'a@example.com', 'A', '1990-01-01', 'x', 'organizer', '2026-01-01 00:00:00', 0)")
EVENT = ("INSERT INTO events (id, number, organizer_id, name, description, category, venue,"
         " city, starts_at, ends_at, timezone, currency, status, cancellation_policy,"
         " created_at, min_price, max_price, recent_sales) VALUES (:id, :number, 'u1', :name,"
         " '', 'music', 'V', :city, '2027-01-01 20:00:00', '2027-01-01 23:00:00', 'UTC',"
         " 'EUR', 'SCHEDULED', '[]', '2026-01-01 00:00:00', 0, 0, 0)")


def downgrade_to(engine: Engine, revision: str) -> None:
    """Take a database with rows back to an older revision, as if it had never been
    upgraded past it (then `upgrade` carries its rows forward again)."""
    from alembic import command
    from alembic.config import Config

    from tix.adapters.db.migrate import MIGRATIONS

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.downgrade(config, revision)


def add_events(conn: Connection, cities: list[str]) -> None:
    """The organizer u1 and an event in each city: e1, e2, … numbered 1, 2, …"""
    conn.execute(text(ORGANIZER))
    for number, city in enumerate(cities, start=1):
        conn.execute(text(EVENT), {"id": f"e{number}", "number": number,
                                   "name": f"Event {number}", "city": city})


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def empty_database(request: pytest.FixtureRequest, tmp_path) -> Iterator[str]:  # type: ignore[no-untyped-def]
    """The URL of a database with no tables yet, on SQLite or PostgreSQL."""
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
