"""holds and orders of several lines: hold_lines and order_lines

A hold and an order carried one ticket type; a basket has a line per type. Each existing
hold and order becomes one line. An order keeps `quantity` (its seats, every line's).

Revision ID: 0022
Revises: 0021
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0022"
down_revision = "0021"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "hold_lines",
        sa.Column("hold_id", sa.String(36), sa.ForeignKey(
            "holds.id", name=op.f("fk_hold_lines_hold_id_holds"), ondelete="CASCADE"),
            primary_key=True),
        sa.Column("position", sa.Integer(), primary_key=True),
        sa.Column("ticket_type_id", sa.String(36), sa.ForeignKey(
            "ticket_types.id", name=op.f("fk_hold_lines_ticket_type_id_ticket_types"),
            ondelete="CASCADE"), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.CheckConstraint("quantity >= 1", name=op.f("ck_hold_lines_quantity_positive")),
    )
    op.create_index("ix_hold_lines_type", "hold_lines", ["ticket_type_id"])
    op.create_table(
        "order_lines",
        sa.Column("order_id", sa.String(36), sa.ForeignKey(
            "orders.id", name=op.f("fk_order_lines_order_id_orders"), ondelete="CASCADE"),
            primary_key=True),
        sa.Column("position", sa.Integer(), primary_key=True),
        sa.Column("ticket_type_id", sa.String(36), sa.ForeignKey(
            "ticket_types.id", name=op.f("fk_order_lines_ticket_type_id_ticket_types")),
            nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("unit_price", sa.Integer(), nullable=False),
        sa.CheckConstraint("quantity >= 1", name=op.f("ck_order_lines_quantity_positive")),
    )
    op.create_index("ix_order_lines_type", "order_lines", ["ticket_type_id"])
    op.execute("INSERT INTO hold_lines (hold_id, position, ticket_type_id, quantity) "
               "SELECT id, 0, ticket_type_id, quantity FROM holds")
    op.execute("INSERT INTO order_lines (order_id, position, ticket_type_id, quantity, "
               "unit_price) SELECT id, 0, ticket_type_id, quantity, unit_price FROM orders")
    op.drop_index("ix_holds_buyer", table_name="holds")
    op.drop_index("ix_holds_type_status", table_name="holds")
    # A database downgraded on SQLite has the columns without these (see downgrade).
    found = sa.inspect(op.get_bind())
    checks = {c["name"] for c in found.get_check_constraints("holds")}
    keys = {k["name"] for t in ("holds", "orders") for k in found.get_foreign_keys(t)}
    with op.batch_alter_table("holds") as batch:
        if "ck_holds_quantity_positive" in checks:
            batch.drop_constraint(op.f("ck_holds_quantity_positive"), type_="check")
        if "fk_holds_ticket_type_id_ticket_types" in keys:
            batch.drop_constraint(op.f("fk_holds_ticket_type_id_ticket_types"),
                                  type_="foreignkey")
        batch.drop_column("ticket_type_id")
        batch.drop_column("quantity")
    op.create_index("ix_holds_buyer_status", "holds", ["user_id", "status"])
    op.drop_index("ix_orders_buyer_type", table_name="orders")
    with op.batch_alter_table("orders") as batch:
        if "fk_orders_ticket_type_id_ticket_types" in keys:
            batch.drop_constraint(op.f("fk_orders_ticket_type_id_ticket_types"),
                                  type_="foreignkey")
        batch.drop_column("ticket_type_id")
        batch.drop_column("unit_price")
    op.create_index("ix_orders_buyer_status", "orders", ["user_id", "status"])


def downgrade() -> None:
    """Back to one ticket type per hold and order: only while none has several lines."""
    conn = op.get_bind()
    for table, key in (("hold_lines", "hold_id"), ("order_lines", "order_id")):
        several = conn.execute(sa.text(
            f"SELECT count(*) FROM (SELECT {key} FROM {table} GROUP BY {key} "
            "HAVING count(*) > 1) AS baskets")).scalar_one()
        if several:
            raise RuntimeError(f"cannot downgrade below 0022: {several} rows of {table} "
                               "belong to baskets of several ticket types")
    # Added, not rebuilt: SQLite rebuilds a table by dropping it, which the rows that
    # point at orders (tickets) forbid while foreign keys are on. There the restored
    # columns stay nullable and without their foreign key; PostgreSQL gets them whole.
    op.add_column("holds", sa.Column("ticket_type_id", sa.String(36), nullable=True))
    op.add_column("holds", sa.Column("quantity", sa.Integer(), nullable=True))
    op.execute("UPDATE holds SET ticket_type_id = (SELECT ticket_type_id FROM hold_lines "
               "WHERE hold_id = holds.id), quantity = (SELECT quantity FROM hold_lines "
               "WHERE hold_id = holds.id)")
    op.add_column("orders", sa.Column("ticket_type_id", sa.String(36), nullable=True))
    op.add_column("orders", sa.Column("unit_price", sa.Integer(), nullable=True))
    op.execute("UPDATE orders SET ticket_type_id = (SELECT ticket_type_id FROM order_lines "
               "WHERE order_id = orders.id), unit_price = (SELECT unit_price FROM order_lines "
               "WHERE order_id = orders.id)")
    if conn.dialect.name == "postgresql":
        for table, column, kind in (("holds", "ticket_type_id", sa.String(36)),
                                    ("holds", "quantity", sa.Integer()),
                                    ("orders", "ticket_type_id", sa.String(36)),
                                    ("orders", "unit_price", sa.Integer())):
            op.alter_column(table, column, existing_type=kind, nullable=False)
        op.create_foreign_key(op.f("fk_holds_ticket_type_id_ticket_types"), "holds",
                              "ticket_types", ["ticket_type_id"], ["id"], ondelete="CASCADE")
        op.create_check_constraint(op.f("ck_holds_quantity_positive"), "holds",
                                   "quantity >= 1")
        op.create_foreign_key(op.f("fk_orders_ticket_type_id_ticket_types"), "orders",
                              "ticket_types", ["ticket_type_id"], ["id"])
    op.drop_index("ix_holds_buyer_status", table_name="holds")
    op.create_index("ix_holds_buyer", "holds", ["user_id", "ticket_type_id", "status"])
    op.create_index("ix_holds_type_status", "holds", ["ticket_type_id", "status"])
    op.drop_index("ix_orders_buyer_status", table_name="orders")
    op.create_index("ix_orders_buyer_type", "orders", ["user_id", "ticket_type_id", "status"])
    op.drop_table("order_lines")
    op.drop_table("hold_lines")
