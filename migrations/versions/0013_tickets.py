"""tickets: one per seat, numbered per event, with a signed QR payload

Revision ID: 0013
Revises: 0012
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "tickets",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("number", sa.String(length=30), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.String(length=36), nullable=False),
        sa.Column("order_id", sa.String(length=36), nullable=False),
        sa.Column("seat", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.String(length=36), nullable=False),
        sa.Column("ticket_type_id", sa.String(length=36), nullable=False),
        sa.Column("holder", sa.Text(), nullable=False),
        sa.Column("qr_payload", sa.String(length=200), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("checked_in_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("checked_in_by", sa.String(length=36), nullable=True),
        sa.ForeignKeyConstraint(["event_id"], ["events.id"],
                                name=op.f("fk_tickets_event_id_events")),
        sa.ForeignKeyConstraint(["order_id"], ["orders.id"],
                                name=op.f("fk_tickets_order_id_orders")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tickets")),
        sa.UniqueConstraint("event_id", "sequence", name="uq_tickets_event_sequence"),
        sa.UniqueConstraint("order_id", "seat", name="uq_tickets_order_seat"),
        sa.UniqueConstraint("qr_payload", name=op.f("uq_tickets_qr_payload")))
    op.create_index("ix_tickets_number", "tickets", ["number"])
    op.create_index(op.f("ix_tickets_user_id"), "tickets", ["user_id"])


def downgrade() -> None:
    op.drop_table("tickets")
