"""catalog search: accents folded (city and text), prices sorted within their currency

- events.city_key: the city folded as tix.core.catalog.search.folded does (case and accents
  aside: Zurich finds Zürich), indexed; it replaces the index on lower(city).
- PostgreSQL: the text search configuration tix_search (simple with unaccent), so bjork
  finds Björk as SQLite's unicode61 tokenizer does; the document is stored in a generated
  column, events.search_document, with the full-text index on it. Parsing the description
  for every row the planner walks in date order cost more than the index saved.
- The price index leads with the currency: a price sort orders within each currency.

Revision ID: 0018
Revises: 0017
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from tix.core.catalog.search import folded

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None

DOCUMENT = ("coalesce(name, '') || ' ' || coalesce(description, '') || ' ' || "
            "coalesce(venue, '') || ' ' || coalesce(city, '')")


def upgrade() -> None:
    op.add_column("events", sa.Column("city_key", sa.Text(), nullable=False,
                                      server_default=""))
    conn = op.get_bind()
    for (city,) in conn.execute(sa.text("SELECT DISTINCT city FROM events")).all():
        conn.execute(sa.text("UPDATE events SET city_key = :key WHERE city = :city"),
                     {"key": folded(city), "city": city})
    op.drop_index("ix_events_city_key", table_name="events")
    op.create_index("ix_events_city_key", "events", ["city_key"])
    op.drop_index("ix_events_status_min_price", table_name="events")
    op.create_index("ix_events_status_currency_min_price", "events",
                    ["status", "currency", "min_price", "starts_at"])
    if conn.dialect.name == "postgresql":
        op.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
        op.execute("CREATE TEXT SEARCH CONFIGURATION tix_search (COPY = simple)")
        op.execute("ALTER TEXT SEARCH CONFIGURATION tix_search ALTER MAPPING FOR "
                   "asciiword, asciihword, hword_asciipart, word, hword, hword_part "
                   "WITH unaccent, simple")
        op.execute("DROP INDEX IF EXISTS search_events_text")
        op.execute("ALTER TABLE events ADD COLUMN search_document tsvector GENERATED ALWAYS "
                   f"AS (to_tsvector('tix_search', {DOCUMENT})) STORED")
        op.execute("CREATE INDEX search_events_text ON events USING gin (search_document)")


def downgrade() -> None:
    conn = op.get_bind()
    if conn.dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS search_events_text")
        op.execute("ALTER TABLE events DROP COLUMN search_document")
        op.execute("CREATE INDEX search_events_text ON events "
                   f"USING gin (to_tsvector('simple', {DOCUMENT}))")
        op.execute("DROP TEXT SEARCH CONFIGURATION IF EXISTS tix_search")
    op.drop_index("ix_events_status_currency_min_price", table_name="events")
    op.create_index("ix_events_status_min_price", "events",
                    ["status", "min_price", "starts_at"])
    op.drop_index("ix_events_city_key", table_name="events")
    op.create_index("ix_events_city_key", "events", [sa.text("lower(city)")])
    # Not a batch: rebuilding events on SQLite would drop its full-text triggers (0010).
    op.execute("ALTER TABLE events DROP COLUMN city_key")
