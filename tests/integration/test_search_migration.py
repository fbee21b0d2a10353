"""Migration 0018: events from before it are found by their city with accents folded."""

from sqlalchemy import text

from tests.integration.old_databases import add_events
from tix.adapters.db.engine import make_engine
from tix.adapters.db.migrate import upgrade


def test_existing_events_get_their_folded_city(empty_database):
    engine = make_engine(empty_database)
    upgrade(engine, "0017")
    with engine.begin() as conn:
        add_events(conn, ["Zürich", "ZÜRICH", "København", "Berlin"])
    upgrade(engine, "0018")
    with engine.connect() as conn:
        keys = conn.execute(text("SELECT id, city_key FROM events ORDER BY id")).all()
    engine.dispose()
    assert [tuple(row) for row in keys] == [
        ("e1", "zurich"), ("e2", "zurich"), ("e3", "kobenhavn"), ("e4", "berlin")]
