"""catalog search: prices and popularity on events, full-text indexes, cache version

PostgreSQL: a GIN full-text index (simple configuration) over name, description, venue
and city, and a trigram index on names for typo-tolerant suggestions (pg_trgm).
SQLite: an FTS5 table over the same columns, kept in sync by triggers. Both are named
search_* / events_fts* and left out of autogenerate (tix/migrations/env.py). A later
SQLite batch migration that rebuilds `events` must recreate the triggers.
(Revision 0003 was reserved for this and shipped empty, so it lands here.)

Revision ID: 0010
Revises: 0009
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

PG_DOCUMENT = ("to_tsvector('simple', coalesce(name, '') || ' ' || coalesce(description, '')"
               " || ' ' || coalesce(venue, '') || ' ' || coalesce(city, ''))")
FTS_COLUMNS = "name, description, venue, city"


def upgrade() -> None:
    for column in ("min_price", "max_price", "recent_sales"):
        op.add_column("events", sa.Column(column, sa.Integer(), nullable=False,
                                          server_default="0"))
    op.create_index("ix_events_status_min_price", "events",
                    ["status", "min_price", "starts_at"])
    op.create_index("ix_events_status_recent_sales", "events", ["status", "recent_sales"])
    op.create_index("ix_events_category_starts_at", "events", ["category", "starts_at"])
    op.create_index("ix_events_city_key", "events", [sa.text("lower(city)")])
    op.create_table(
        "event_sales_days",
        sa.Column("event_id", sa.String(length=36), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("tickets", sa.Integer(), nullable=False),
        sa.Column("counted", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["event_id"], ["events.id"], ondelete="CASCADE",
                                name=op.f("fk_event_sales_days_event_id_events")),
        sa.PrimaryKeyConstraint("event_id", "day", name=op.f("pk_event_sales_days")))
    op.create_table(
        "catalog_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_catalog_version")))
    if op.get_bind().dialect.name == "postgresql":
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        op.execute(f"CREATE INDEX search_events_text ON events USING gin ({PG_DOCUMENT})")
        # Suggestions: word prefixes through a full-text index on names, and typos through
        # nearest-neighbour search on a GiST trigram index (ORDER BY phrase <<-> name).
        op.execute("CREATE INDEX search_events_name_words ON events "
                   "USING gin (to_tsvector('simple', name))")
        op.execute("CREATE INDEX search_events_name_trgm ON events "
                   "USING gist (name gist_trgm_ops)")
    else:
        op.execute(f"CREATE VIRTUAL TABLE events_fts USING fts5({FTS_COLUMNS}, "
                   "content='events', content_rowid='rowid', tokenize='unicode61')")
        new = ", ".join(f"new.{c.strip()}" for c in FTS_COLUMNS.split(","))
        old = ", ".join(f"old.{c.strip()}" for c in FTS_COLUMNS.split(","))
        op.execute(f"CREATE TRIGGER events_fts_insert AFTER INSERT ON events BEGIN "
                   f"INSERT INTO events_fts(rowid, {FTS_COLUMNS}) VALUES (new.rowid, {new}); "
                   "END")
        op.execute(f"CREATE TRIGGER events_fts_delete AFTER DELETE ON events BEGIN "
                   f"INSERT INTO events_fts(events_fts, rowid, {FTS_COLUMNS}) "
                   f"VALUES ('delete', old.rowid, {old}); END")
        op.execute(f"CREATE TRIGGER events_fts_update AFTER UPDATE ON events BEGIN "
                   f"INSERT INTO events_fts(events_fts, rowid, {FTS_COLUMNS}) "
                   f"VALUES ('delete', old.rowid, {old}); "
                   f"INSERT INTO events_fts(rowid, {FTS_COLUMNS}) VALUES (new.rowid, {new}); "
                   "END")
        op.execute("INSERT INTO events_fts(events_fts) VALUES ('rebuild')")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS search_events_name_trgm")
        op.execute("DROP INDEX IF EXISTS search_events_name_words")
        op.execute("DROP INDEX IF EXISTS search_events_text")
    else:
        for trigger in ("insert", "delete", "update"):
            op.execute(f"DROP TRIGGER IF EXISTS events_fts_{trigger}")
        op.execute("DROP TABLE IF EXISTS events_fts")
    op.drop_table("catalog_version")
    op.drop_table("event_sales_days")
    for index in ("ix_events_city_key", "ix_events_category_starts_at",
                  "ix_events_status_recent_sales", "ix_events_status_min_price"):
        op.drop_index(index, table_name="events")
    with op.batch_alter_table("events") as batch_op:
        for column in ("recent_sales", "max_price", "min_price"):
            batch_op.drop_column(column)
