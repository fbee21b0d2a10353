"""Alembic environment: the URL comes from tix's settings (or the caller), never a file."""

from __future__ import annotations

from typing import Any

from alembic import context
from sqlalchemy import Connection

from tix.adapters.db.engine import make_engine
from tix.adapters.db.rows import metadata
from tix.adapters.db.types import UtcDateTime

config = context.config
target_metadata = metadata()


def render_item(type_: str, obj: Any, autogen_context: Any) -> Any:
    """Write tix's column types as plain SQLAlchemy types, so migrations stand alone."""
    if type_ == "type" and isinstance(obj, UtcDateTime):
        return "sa.DateTime(timezone=True)"
    return False


def include_name(name: str | None, type_: str, parent_names: Any) -> bool:
    """Search indexes are raw SQL per database (0003), not part of the models."""
    return not (name or "").startswith(("search_", "events_fts"))


def run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",  # SQLite cannot ALTER much
        compare_type=True,
        render_item=render_item,
        include_name=include_name,
    )
    with context.begin_transaction():
        context.run_migrations()


def main() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        run(connection)
        return
    url = config.get_main_option("sqlalchemy.url")
    if not url:
        from tix.config import load_settings

        url = load_settings().database_url
    engine = make_engine(url)
    with engine.connect() as conn:
        run(conn)
    engine.dispose()


main()
