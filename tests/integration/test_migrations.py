"""The migrations build exactly the schema the code declares, on both databases."""

from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine

from tix.adapters.db.migrate import MIGRATIONS, current_revision, head_revision
from tix.adapters.db.rows import metadata


def include_name(name, type_, parent_names):  # as migrations/env.py: raw search SQL
    return not (name or "").startswith(("search_", "events_fts"))


def test_the_head_read_from_file_names_is_alembics_head():
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    assert ScriptDirectory.from_config(config).get_heads() == [head_revision()]


def test_a_migrated_database_matches_the_models(database):
    engine = create_engine(database)
    try:
        assert current_revision(engine) == head_revision()
        with engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={
                "compare_type": True, "include_name": include_name})
            differences = compare_metadata(context, metadata())
        assert differences == []
    finally:
        engine.dispose()


def test_upgrading_keeps_the_rows_of_tables_that_point_at_rebuilt_ones(tmp_path):
    """SQLite rebuilds a table to alter it; its children (sessions → users) must survive."""
    from tix.adapters.db.engine import make_engine
    from tix.adapters.db.migrate import upgrade

    engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
    upgrade(engine, "0007")
    with engine.begin() as conn:
        conn.exec_driver_sql(
            "INSERT INTO users (id, email, email_key, name, date_of_birth, password_hash, role,"
            " created_at, failed_logins) VALUES ('u1', 'a@example.com', 'a@example.com', 'A',"
            " '1990-01-01', 'x', 'customer', '2026-01-01 00:00:00', 0)")
        conn.exec_driver_sql(
            "INSERT INTO sessions (id, user_id, created_at, expires_at, host) VALUES "
            "('s1', 'u1', '2026-01-01 00:00:00', '2027-01-01 00:00:00', 'h')")
    upgrade(engine)
    with engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM sessions").scalar() == 1
        assert conn.exec_driver_sql("SELECT date_of_birth FROM users").scalar() == "1990-01-01"
    engine.dispose()


def test_upgrading_empties_the_payloads_of_delivered_messages(tmp_path):
    """Revision 0016: a delivered message's names, addresses and tokens are not kept."""
    from tix.adapters.db.engine import make_engine
    from tix.adapters.db.migrate import upgrade

    engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
    upgrade(engine, "0015")
    with engine.begin() as conn:
        for seq, processed in ((1, "'2026-01-01 00:00:00'"), (2, "NULL")):
            conn.exec_driver_sql(
                "INSERT INTO outbox (seq, id, name, payload, created_at, available_at, attempts,"
                f" processed_at) VALUES ({seq}, 'm{seq}', 'Pinged', 'v1:k1:sealed',"
                f" '2026-01-01 00:00:00', '2026-01-01 00:00:00', 0, {processed})")
    upgrade(engine)
    with engine.connect() as conn:
        payloads = conn.exec_driver_sql("SELECT payload FROM outbox ORDER BY seq").scalars()
        assert list(payloads) == ["", "v1:k1:sealed"]  # the pending one is still to deliver
    engine.dispose()


def test_ticket_numbers_go_on_from_the_tickets_issued_before_revision_0019(runtime):
    """0019 fills each event's counter from its tickets: the next sale continues the series."""
    from tests.catalog_support import an_event, on_every_team
    from tests.integration.old_databases import downgrade_to
    from tests.support import logged_in
    from tix.adapters.db.migrate import upgrade
    from tix.core.orders.model import Tender
    from tix.core.principal import Role

    standing = runtime.catalog.show(an_event(runtime)).ticket_types[0].id
    clerk = logged_in(runtime, "clara@example.com", role=Role.CLERK, name="Clara Clerk")
    on_every_team(runtime, clerk)
    runtime.orders.buy(clerk, standing, 3, tender=Tender.CASH, tendered=20_000)
    downgrade_to(runtime.engine, "0018")  # back to before the counter existed
    assert upgrade(runtime.engine) == head_revision()
    on_every_team(runtime, clerk)  # the teams came with 0028, after the downgrade
    later = runtime.orders.buy(clerk, standing, 2, tender=Tender.CASH, tendered=20_000)
    numbers = [t.number for t in runtime.tickets.of_orders([later.id])[later.id]]
    assert [n.rsplit("-", 1)[1] for n in numbers] == ["000004", "000005"]


def test_tickets_given_back_before_revision_0033_are_counted_returned(runtime):
    """0033 counts each completed order's refunded or voided tickets as returned — not
    the ones a transfer replaced — so the sales report's sold stays within the stock."""
    from tests.catalog_support import an_event, on_every_team, organizer
    from tests.integration.old_databases import downgrade_to
    from tests.support import logged_in
    from tix.adapters.db.migrate import upgrade
    from tix.core.orders.model import Tender
    from tix.core.principal import Role

    owner = organizer(runtime)
    standing = runtime.catalog.show(an_event(runtime, owner)).ticket_types[0].id
    clerk = logged_in(runtime, "clara@example.com", role=Role.CLERK, name="Clara Clerk")
    on_every_team(runtime, clerk)
    order = runtime.orders.buy(clerk, standing, 4, tender=Tender.CASH, tendered=20_000)
    first, second, third, _ = runtime.tickets.of_orders([order.id])[order.id]
    _, new = runtime.tickets.transfer_ticket(owner, first.number, to="tom@example.com")
    runtime.orders.refund(owner, order.number, ticket=new.number)  # transferred, refunded
    runtime.tickets.void_ticket(owner, second.number)
    runtime.tickets.transfer_ticket(owner, third.number, to="tina@example.com")

    def sold() -> int:
        return next(line.sold for line in runtime.orders.sales(owner, order.event_id).lines
                    if line.ticket_type_id == standing)

    assert sold() == 2
    downgrade_to(runtime.engine, "0032")  # back to before lines counted returned tickets
    assert upgrade(runtime.engine) == head_revision()
    assert sold() == 2  # 4 sold, 2 given back; the transfers gave nothing back
