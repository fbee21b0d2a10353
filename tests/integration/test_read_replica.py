"""TIX_DATABASE_REPLICA_URL: search reads the replica; writes and purchases use the primary.

The replica here is a read-only copy of the primary taken at one moment: like a hot standby
it refuses writes, and like a lagging one it has not seen what happened since. (A streaming
replica needs a replication entry in pg_hba.conf, which this machine's server lacks.)
"""

import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine, text

from tests.catalog_support import an_event, on_every_team, organizer
from tests.conftest import PG_SERVER
from tests.support import logged_in
from tix.core.catalog.search import SearchQuery
from tix.core.orders.model import Tender
from tix.core.principal import Role
from tix.operations import upgrade_database

pytestmark = pytest.mark.postgres


@pytest.fixture
def primary_and_replica(tmp_path) -> Iterator[tuple[str, str]]:
    from tix.config import Settings

    admin = create_engine(f"{PG_SERVER}/postgres", isolation_level="AUTOCOMMIT")
    primary, replica = (f"tix_test_{role}_{uuid.uuid4().hex[:6]}" for role in ("p", "r"))
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{primary}"'))
    upgrade_database(Settings(data_dir=tmp_path, config_dir=tmp_path,
                              database_url=f"{PG_SERVER}/{primary}", secret_key="x" * 40))
    yield f"{PG_SERVER}/{primary}", f"{PG_SERVER}/{replica}"
    with admin.connect() as conn:
        for name in (primary, replica):
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def take_replica(primary_url: str, replica_url: str) -> None:
    """The replica catches up with the primary now, and is read-only from then on."""
    admin = create_engine(f"{PG_SERVER}/postgres", isolation_level="AUTOCOMMIT")
    primary, replica = primary_url.rsplit("/", 1)[1], replica_url.rsplit("/", 1)[1]
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{replica}" WITH (FORCE)'))
        # a template must have no other sessions while it is copied
        conn.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                          "WHERE datname = :name AND pid <> pg_backend_pid()"),
                     {"name": primary})
        conn.execute(text(f'CREATE DATABASE "{replica}" TEMPLATE "{primary}"'))
        conn.execute(text(f'ALTER DATABASE "{replica}" SET default_transaction_read_only = on'))
    admin.dispose()


def test_search_reads_the_replica_while_writes_and_sales_go_to_the_primary(
        primary_and_replica, make_runtime):
    primary_url, replica_url = primary_and_replica
    setup = make_runtime(primary_url)
    owner = organizer(setup)
    clerk = logged_in(setup, "clara@example.com", role=Role.CLERK, name="Clara Clerk")
    replicated = an_event(setup, owner, name="Replicated recital")
    setup.close()
    take_replica(primary_url, replica_url)

    runtime = make_runtime(primary_url, database_replica_url=replica_url)
    # writes go to the primary: the replica would refuse them
    fresh = runtime.catalog.create(owner, {**_spec_of(runtime, "Fresh festival")})
    standing = runtime.catalog.show(replicated).ticket_types[0]
    on_every_team(setup, clerk)
    order = runtime.orders.buy(clerk, standing.id, 2, tender=Tender.CASH, tendered=9000)
    assert runtime.orders.show(clerk, order.number).quantity == 2

    # search answers from the replica: it knows the older event, not the new one yet,
    # and its availability is the replica's (the sale has not reached it)
    found = {r.name: r for r in runtime.catalog.search(SearchQuery()).results}
    assert set(found) == {"Replicated recital"}
    assert found["Replicated recital"].available == 120
    # reads of the primary see both, and the sale
    assert runtime.catalog.show(fresh).summary.name == "Fresh festival"
    with runtime.uow(readonly=True) as uow:
        assert uow.stock.levels([standing.id])[standing.id].available == 98

    # once the replica catches up, search finds the new event too
    runtime.close()
    take_replica(primary_url, replica_url)
    caught_up = make_runtime(primary_url, database_replica_url=replica_url)
    found = {r.name: r for r in caught_up.catalog.search(SearchQuery()).results}
    assert set(found) == {"Replicated recital", "Fresh festival"}
    assert found["Replicated recital"].available == 118


def test_the_replica_refuses_writes(primary_and_replica, make_runtime):
    """The check above means something: a write sent to the replica fails."""
    primary_url, replica_url = primary_and_replica
    take_replica(primary_url, replica_url)
    engine = create_engine(replica_url)
    with pytest.raises(Exception, match="read-only transaction"), engine.begin() as conn:
        conn.execute(text("INSERT INTO audit_entries (id) VALUES ('x')"))
    engine.dispose()


def _spec_of(runtime, name):
    from tests.catalog_support import event_spec

    return event_spec(runtime, name=name)


@pytest.mark.parametrize("database", ["postgres"], indirect=True)
def test_without_a_replica_reads_share_the_primarys_pool(make_runtime, database):
    """One pool per database and process: processes times pool stay under max_connections."""
    runtime = make_runtime(database, database_pool_size=2)
    assert runtime.read_engine.pool is runtime.engine.pool
    assert runtime.engine.pool.size() == 2
