"""attendee_questions: answers to the event's questions, per ticket and per order

An event declares its questions (events.questions, JSON as the event file has them); each
answer is a row of order_answers, its value encrypted like holder names.

Revision ID: 0025
Revises: 0024
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0025"
down_revision = "0024"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("events", sa.Column("questions", sa.Text(), nullable=False,
                                      server_default="[]"))
    op.create_table(
        "order_answers",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("order_id", sa.String(36), sa.ForeignKey(
            "orders.id", name=op.f("fk_order_answers_order_id_orders"), ondelete="CASCADE"),
            nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("seat", sa.Integer(), nullable=True),
        sa.Column("question", sa.String(40), nullable=False),
        sa.Column("text", sa.String(300), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
    )
    op.create_index("ix_order_answers_order_position", "order_answers",
                    ["order_id", "position"], unique=True)


def downgrade() -> None:
    op.drop_table("order_answers")
    # not a batch: rebuilding events would trip the foreign keys that point at it
    op.execute("ALTER TABLE events DROP COLUMN questions")
