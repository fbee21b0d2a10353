"""holds and orders of several lines: hold_lines and order_lines

A hold and an order carried one ticket type; a basket has a line per type. Each existing
hold and order becomes one line. An order keeps `quantity` (its seats, every line's).

Revision ID: 0021
Revises: 0020
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "hold_lines",
        sa.Column("hold_id", sa.String(36), sa.ForeignKey(
            "holds.id", name="fk_hold_lines_hold_id_holds", ondelete="CASCADE"),
            primary_key=True),
        sa.Column("position", sa.Integer(), primary_key=True),
        sa.Column("ticket_type_id", sa.String(36), sa.ForeignKey(
            "ticket_types.id", name="fk_hold_lines_ticket_type_id_ticket_types",
            ondelete="CASCADE"), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.CheckConstraint("quantity >= 1", name="ck_hold_lines_quantity_positive"),
    )
    op.create_index("ix_hold_lines_type", "hold_lines", ["ticket_type_id"])
    op.create_table(
        "order_lines",
        sa.Column("order_id", sa.String(36), sa.ForeignKey(
            "orders.id", name="fk_order_lines_order_id_orders", ondelete="CASCADE"),
            primary_key=True),
        sa.Column("position", sa.Integer(), primary_key=True),
        sa.Column("ticket_type_id", sa.String(36), sa.ForeignKey(
            "ticket_types.id", name="fk_order_lines_ticket_type_id_ticket_types"),
            nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("unit_price", sa.Integer(), nullable=False),
        sa.CheckConstraint("quantity >= 1", name="ck_order_lines_quantity_positive"),
    )
    op.create_index("ix_order_lines_type", "order_lines", ["ticket_type_id"])
    op.execute("INSERT INTO hold_lines (hold_id, position, ticket_type_id, quantity) "
               "SELECT id, 0, ticket_type_id, quantity FROM holds")
    op.execute("INSERT INTO order_lines (order_id, position, ticket_type_id, quantity, "
               "unit_price) SELECT id, 0, ticket_type_id, quantity, unit_price FROM orders")
    op.drop_index("ix_holds_buyer", table_name="holds")
    op.drop_index("ix_holds_type_status", table_name="holds")
    with op.batch_alter_table("holds") as batch:
        batch.drop_constraint("ck_holds_quantity_positive", type_="check")
        batch.drop_constraint("fk_holds_ticket_type_id_ticket_types", type_="foreignkey")
        batch.drop_column("ticket_type_id")
        batch.drop_column("quantity")
    op.create_index("ix_holds_buyer_status", "holds", ["user_id", "status"])
    op.drop_index("ix_orders_buyer_type", table_name="orders")
    with op.batch_alter_table("orders") as batch:
        batch.drop_constraint("fk_orders_ticket_type_id_ticket_types", type_="foreignkey")
        batch.drop_column("ticket_type_id")
        batch.drop_column("unit_price")
    op.create_index("ix_orders_buyer_status", "orders", ["user_id", "status"])


def downgrade() -> None:
    raise NotImplementedError("orders of several lines cannot be folded back into one")
