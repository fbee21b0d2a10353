"""events: max_per_order and max_per_person, limits over all of an event's ticket types

Revision ID: 0026
Revises: 0025
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0026"
down_revision = "0025"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Added, not rebuilt: ticket types and orders point at events.
    op.add_column("events", sa.Column("max_per_order", sa.Integer(), nullable=True))
    op.add_column("events", sa.Column("max_per_person", sa.Integer(), nullable=True))


def downgrade() -> None:
    # ALTER TABLE ... DROP COLUMN on both databases (SQLite 3.35+): a batch rebuild of
    # events is refused while ticket types and orders point at it.
    op.execute("ALTER TABLE events DROP COLUMN max_per_person")
    op.execute("ALTER TABLE events DROP COLUMN max_per_order")
