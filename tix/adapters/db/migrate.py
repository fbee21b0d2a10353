"""Schema migrations: `tix db upgrade`, and the embedded database upgraded on first use."""

from __future__ import annotations

import fcntl
import os
import warnings
from contextlib import nullcontext
from pathlib import Path

from sqlalchemy import Engine, exc, text

from tix.adapters.db.engine import make_engine, translated_errors
from tix.core.errors import Unavailable


def _migrations_directory() -> Path:
    """Alembic's directory: `tix/migrations` inside an installed wheel (setup.py maps it
    there), else `migrations/` at the top of the checkout an editable install runs from.
    The package's own copy is looked at first: beside an installed package is site-packages,
    where another distribution's `migrations` could be."""
    package = Path(__file__).resolve().parents[2]
    for candidate in (package / "migrations", package.parent / "migrations"):
        if (candidate / "env.py").is_file():
            return candidate
    raise RuntimeError(f"no migrations beside or inside {package}: a broken installation")


MIGRATIONS = _migrations_directory()


def head_revision() -> str:
    """The newest revision, read from file names (NNNN_slug.py) without loading Alembic."""
    names = [n for n in os.listdir(MIGRATIONS / "versions") if n[:4].isdigit()]
    return max(names)[:4]


def current_revision(engine: Engine) -> str | None:
    """The applied revision, None for an empty database. One query: it runs every command."""
    with translated_errors(), engine.connect() as conn:
        try:
            with conn.begin_nested() if conn.dialect.name == "postgresql" else nullcontext():
                return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
        except exc.ProgrammingError:  # PostgreSQL: no such table
            return None
        except exc.OperationalError as error:
            if "no such table" in str(error):  # SQLite
                return None
            raise


def upgrade(engine: Engine, revision: str = "head") -> str:
    """Apply pending migrations (up to `revision`); returns the revision now current."""
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    migrating = engine
    if engine.dialect.name == "sqlite":  # see make_engine: no cascades while rebuilding
        migrating = make_engine(engine.url.render_as_string(hide_password=False),
                                foreign_keys=False)
    try:
        with translated_errors(), migrating.begin() as conn, warnings.catch_warnings():
            # a batch migration on SQLite reflects the table it rebuilds, and SQLAlchemy
            # cannot reflect an expression index (ix_events_city_key, lower(city)): the
            # migration recreates it itself, so the warning only alarmed the first run
            warnings.filterwarnings("ignore", category=exc.SAWarning,
                                    message="Skipped unsupported reflection of expression")
            config.attributes["connection"] = conn
            command.upgrade(config, revision)
            if conn.dialect.name == "sqlite":
                broken = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                if broken:
                    raise RuntimeError(f"migration left dangling references: {broken[:5]}")
    finally:
        if migrating is not engine:
            migrating.dispose()
    return current_revision(engine) or ""


def ensure_current(engine: Engine, *, auto_upgrade: bool, lock_dir: Path | None) -> None:
    """Make sure the schema is current: upgrade the embedded database, refuse otherwise."""
    if current_revision(engine) == head_revision():
        return
    if not auto_upgrade:
        raise Unavailable("the database schema is not up to date: run `tix db upgrade`")
    assert lock_dir is not None
    lock_dir.mkdir(parents=True, exist_ok=True)
    with (lock_dir / ".migrate.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # two first commands at once migrate only once
        if current_revision(engine) != head_revision():
            upgrade(engine)
