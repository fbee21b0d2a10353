"""Engines and sessions for SQLite and PostgreSQL, and database errors in domain terms."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, exc, make_url
from sqlalchemy.orm import Session, sessionmaker

from tix.core.errors import Busy, Invalid, TixError, Unavailable

SQLITE_BUSY_TIMEOUT_MS = 5000
PG_LOCK_TIMEOUT_MS = 3000
POOL_TIMEOUT_S = 30  # a wait for a connection, or for a turn at the database, refused after


def make_engine(url: str, *, pool_size: int = 5, foreign_keys: bool = True,
                autocommit: bool = False) -> Engine:
    """`foreign_keys=False` is for migrations on SQLite only: a batch migration rebuilds a
    table by copy, drop and rename, and the drop would cascade into every child table."""
    if url.startswith("sqlite"):
        engine = _sqlite_engine(url, foreign_keys=foreign_keys)
        return engine.execution_options(isolation_level="AUTOCOMMIT") if autocommit else engine
    return create_engine(
        url, pool_size=pool_size, max_overflow=pool_size * 2, pool_timeout=POOL_TIMEOUT_S,
        pool_pre_ping=False,
        # Read views: every statement its own transaction, no BEGIN/ROLLBACK round trips.
        isolation_level="AUTOCOMMIT" if autocommit else "READ COMMITTED",
        connect_args={"connect_timeout": 5,
                      # The trigram threshold lets one swapped letter through in event
                      # suggestions ("frham" finds Frahm); the default 0.6 would not.
                      "options": f"-c lock_timeout={PG_LOCK_TIMEOUT_MS} "
                                 "-c pg_trgm.word_similarity_threshold=0.3"})


def _sqlite_engine(url: str, *, foreign_keys: bool) -> Engine:
    database = make_url(url).database
    if database and database != ":memory:":
        Path(database).parent.mkdir(parents=True, exist_ok=True)
        # 0600 like the key files: it holds personal data. SQLite gives its -wal and
        # -shm files the database file's mode.
        if not Path(database).exists():
            Path(database).touch(mode=0o600)
    engine = create_engine(url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000})

    @event.listens_for(engine, "connect")
    def _configure(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy's begin event issue BEGIN, so writers can take the lock up front.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute(f"PRAGMA foreign_keys={'ON' if foreign_keys else 'OFF'}")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        # Deleted and overwritten rows are zeroed, not left in free space: an erasure
        # must leave nothing to read in the file (empty_wal removes the older copies).
        cursor.execute("PRAGMA secure_delete=ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(conn: Any) -> None:
        # BEGIN IMMEDIATE takes the write lock at once: no deadlock between two
        # transactions that both read, then both try to write.
        options = conn.get_execution_options()
        if options.get("isolation_level") == "AUTOCOMMIT":
            return  # read views: each statement on its own
        conn.exec_driver_sql("BEGIN" if options.get("tix_readonly") else "BEGIN IMMEDIATE")

    return engine


def empty_wal(engine: Engine) -> bool:
    """SQLite: copy the write-ahead log into the database and truncate it, so the older
    versions of rows it still holds (an erased person's) leave the files. False when a
    reader kept it from finishing: try again later."""
    with translated_errors(), engine.connect().execution_options(
            isolation_level="AUTOCOMMIT") as conn:
        busy, _, _ = conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)").one()
    return not busy


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False, autoflush=False)


def domain_error(error: exc.DBAPIError) -> TixError | None:
    """Busy for lock waits, Unavailable for a lost or refused connection, Invalid for text
    PostgreSQL cannot store, else None."""
    text = str(error.orig or error).lower()
    if ("lock timeout" in text or "locknotavailable" in type(error.orig).__name__.lower()
            or "database is locked" in text or "deadlock detected" in text
            or "could not serialize" in text):
        return Busy("the database is busy with another sale; try again")
    if "cannot contain nul" in text:  # PostgreSQL's text refuses what SQLite stores
        return Invalid("text cannot contain NUL characters")
    if isinstance(error, exc.OperationalError | exc.InterfaceError) or error.connection_invalidated:
        first_line = (str(error.orig) if error.orig else str(error)).strip().splitlines()[0]
        return Unavailable(f"database unavailable: {first_line}")
    return None


@contextmanager
def translated_errors() -> Iterator[None]:
    """Raise database failures as the domain's Busy or Unavailable."""
    try:
        yield
    except exc.TimeoutError as error:
        raise pool_exhausted() from error
    except exc.DBAPIError as error:
        translated = domain_error(error)
        if translated is None:
            raise
        raise translated from error


def pool_exhausted() -> Busy:
    """Every pooled connection stayed in use for the pool's whole timeout."""
    return Busy("the database is busy: no connection came free in time; try again")
