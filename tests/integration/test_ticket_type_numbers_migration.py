"""Migration 0017: ticket types created before it get their E12-T<n> numbers."""

from sqlalchemy import text

from tests.integration.old_databases import add_events
from tix.adapters.db.engine import make_engine
from tix.adapters.db.migrate import upgrade

TICKET_TYPE = ("INSERT INTO ticket_types (id, event_id, name, price, quantity, position)"
               " VALUES (:id, :event_id, :name, 100, 10, :position)")


def test_existing_ticket_types_are_numbered_per_event_in_their_listed_order(empty_database):
    engine = make_engine(empty_database)
    upgrade(engine, "0016")
    with engine.begin() as conn:
        add_events(conn, ["C", "C"])
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
