"""orders, order_lines: indexes for the per-person limits' count at commit — a buyer's
orders by status with their ids, and each order's lines by type with their quantity —
so the count reads indexes only, however many orders the buyer placed before

Revision ID: 0032
Revises: 0031
"""

from __future__ import annotations

from alembic import op

revision = "0032"
down_revision = "0031"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # (user_id, status, id) serves whatever (user_id, status) served
    op.drop_index("ix_orders_buyer_status", table_name="orders")
    op.create_index("ix_orders_buyer_status_id", "orders", ["user_id", "status", "id"])
    op.create_index("ix_order_lines_order_type", "order_lines",
                    ["order_id", "ticket_type_id", "quantity"])


def downgrade() -> None:
    op.drop_index("ix_order_lines_order_type", table_name="order_lines")
    op.drop_index("ix_orders_buyer_status_id", table_name="orders")
    op.create_index("ix_orders_buyer_status", "orders", ["user_id", "status"])
