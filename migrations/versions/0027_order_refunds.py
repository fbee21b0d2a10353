"""order_refunds: partial refunds of an order (a ticket's price or an amount)

Each row is counted in orders.refunded_amount by the conditional UPDATE of the
transaction that inserts it, so an order's refunds never pass what was paid; its key is
unique per order, so a refund asked again (a reply lost) is found, not made twice.

Revision ID: 0027
Revises: 0026
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0027"
down_revision = "0026"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "order_refunds",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("order_id", sa.String(36), sa.ForeignKey(
            "orders.id", name=op.f("fk_order_refunds_order_id_orders"), ondelete="CASCADE"),
            nullable=False),
        sa.Column("key", sa.String(100), nullable=False),
        sa.Column("amount", sa.Integer(), nullable=False),
        sa.Column("ticket_id", sa.String(36), nullable=True),
        sa.Column("ticket_number", sa.String(30), nullable=True),
        sa.Column("reason", sa.String(200), nullable=False),
        sa.Column("actor_id", sa.String(36), nullable=True),
        sa.Column("actor", sa.String(320), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("reference", sa.String(200), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("done_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("claimed_until", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("amount >= 0", name=op.f("ck_order_refunds_amount_not_negative")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_order_refunds")),
        sa.UniqueConstraint("order_id", "key", name="uq_order_refunds_order_key"),
    )
    op.create_index("ix_order_refunds_status_claimed_until", "order_refunds",
                    ["status", "claimed_until"])


def downgrade() -> None:
    op.drop_index("ix_order_refunds_status_claimed_until", table_name="order_refunds")
    op.drop_table("order_refunds")
