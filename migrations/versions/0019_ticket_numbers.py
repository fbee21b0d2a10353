"""ticket_numbers: each event's count of ticket numbers given out

A sale at the counter issues its tickets in its own commit; their numbers come from this
counter (one row lock, released at that commit) instead of an advisory lock held while the
highest number so far is looked up. Filled from the tickets already issued.

Revision ID: 0019
Revises: 0018
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "ticket_numbers",
        sa.Column("event_id", sa.String(36), nullable=False),
        sa.Column("issued", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["event_id"], ["events.id"],
                                name=op.f("fk_ticket_numbers_event_id_events")),
        sa.PrimaryKeyConstraint("event_id", name=op.f("pk_ticket_numbers")))
    op.execute("INSERT INTO ticket_numbers (event_id, issued) "
               "SELECT event_id, max(sequence) FROM tickets GROUP BY event_id")


def downgrade() -> None:
    op.drop_table("ticket_numbers")
