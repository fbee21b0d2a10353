"""Shared fixtures: a runtime on SQLite and on the real PostgreSQL, Redis, a clock by hand.

PostgreSQL (127.0.0.1:5432) and Redis (127.0.0.1:6379) must be running: a missing server
fails the run, it never skips (TIX_TEST_PG_URL / TIX_TEST_REDIS_URL point elsewhere).
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from tests.fakes import FakeMailer, FixedClock
from tix.bootstrap import Runtime, bootstrap
from tix.config import Settings

pytest_plugins = ["tests.smtp_server", "tests.stripe_server",  # aiosmtpd, localstripe
                  "tests.sqs_server"]  # moto

PG_SERVER = os.environ.get("TIX_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432")
REDIS_URL = os.environ.get("TIX_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
TEST_SECRET = "test-secret-key-that-is-long-enough-for-hs256!"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--db", default="both", choices=["sqlite", "postgres", "both"],
                     help="which databases the database tests run on")


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    explicit = any("database" in m.args[0] for m in metafunc.definition.iter_markers("parametrize"))
    if "database" in metafunc.fixturenames and not explicit:
        choice = metafunc.config.getoption("--db")
        kinds = ["sqlite", "postgres"] if choice == "both" else [choice]
        metafunc.parametrize("database", kinds, indirect=True)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        callspec = getattr(item, "callspec", None)
        if callspec is not None and callspec.params.get("database") == "postgres":
            item.add_marker(pytest.mark.postgres)


# -- PostgreSQL: one database per test run, migrated once, emptied before each test ------

@pytest.fixture(scope="session")
def pg_database_url() -> Iterator[str]:
    name = f"tix_test_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    admin = create_engine(f"{PG_SERVER}/postgres", isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as error:
        pytest.fail(f"PostgreSQL is required at {PG_SERVER}: {error}", pytrace=False)
    url = f"{PG_SERVER}/{name}"
    from tix.operations import upgrade_database

    upgrade_database(_settings(Path("/nonexistent"), url))
    yield url
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def empty_pg(url: str) -> None:
    engine = create_engine(url)
    with engine.begin() as conn:
        tables = [r[0] for r in conn.execute(text(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' "
            "AND tablename <> 'alembic_version'"))]
        if tables:
            conn.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
    engine.dispose()


# -- SQLite: a migrated template copied for each test -------------------------------------

@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "tix.db"
    from tix.operations import upgrade_database

    upgrade_database(_settings(path.parent, f"sqlite:///{path}"))
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return path


@pytest.fixture
def database(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A database URL, empty and migrated: SQLite or PostgreSQL (parametrized)."""
    if request.param == "postgres":
        url: str = request.getfixturevalue("pg_database_url")
        empty_pg(url)
        return url
    template: Path = request.getfixturevalue("sqlite_template")
    target = tmp_path / "tix.db"
    shutil.copy(template, target)
    return f"sqlite:///{target}"


# -- the runtime ---------------------------------------------------------------------------

def _settings(home: Path, database_url: str, **overrides: object) -> Settings:
    values: dict[str, object] = {
        "data_dir": home / "data", "config_dir": home / "config",
        "database_url": database_url, "secret_key": TEST_SECRET, "bcrypt_rounds": 4,
        "public_url": "https://tix.test"}
    values.update(overrides)
    return Settings(**values)  # type: ignore[arg-type]


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock()


@pytest.fixture
def mailer() -> FakeMailer:
    return FakeMailer()


@pytest.fixture
def make_runtime(tmp_path: Path, clock: FixedClock, mailer: FakeMailer
                 ) -> Iterator[Callable[..., Runtime]]:
    """Build runtimes on a database: more than one stands for more than one process."""
    built: list[Runtime] = []

    def make(database_url: str, *, real_mail: bool = False, **overrides: object) -> Runtime:
        settings = _settings(tmp_path, database_url, **overrides)
        runtime = bootstrap(settings, clock=clock, mailer=None if real_mail else mailer)
        built.append(runtime)
        return runtime

    yield make
    for runtime in built:
        runtime.close()


@pytest.fixture
def runtime(database: str, make_runtime: Callable[..., Runtime]) -> Runtime:
    return make_runtime(database)


@pytest.fixture
def sqlite_runtime(sqlite_template: Path, tmp_path: Path,
                   make_runtime: Callable[..., Runtime]) -> Runtime:
    """For tests of rules that do not depend on the database."""
    target = tmp_path / "tix.db"
    shutil.copy(sqlite_template, target)
    return make_runtime(f"sqlite:///{target}")


# -- Redis ---------------------------------------------------------------------------------

@pytest.fixture
def redis_url() -> Iterator[str]:
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    try:
        client.ping()
    except redis.RedisError as error:
        pytest.fail(f"Redis is required at {REDIS_URL}: {error}", pytrace=False)
    client.flushdb()
    yield REDIS_URL
    client.flushdb()
    client.close()
