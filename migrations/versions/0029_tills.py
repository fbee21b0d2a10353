"""tills: a clerk's till for one shift at a box office, and the till of each cash sale

A till holds its float (counted in at the opening) and, once closed, what was counted,
what its sales less their refunds said should be there, and the difference. One till per
clerk is open at a time (a partial unique index). A cash sale remembers its till
(`orders.till_id`): its clerk may undo it only while that till is open.

Revision ID: 0029
Revises: 0028
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0029"
down_revision = "0028"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "tills",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("clerk_id", sa.String(36), sa.ForeignKey(
            "users.id", name=op.f("fk_tills_clerk_id_users")), nullable=False),
        sa.Column("box_office", sa.String(100), nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("float_amount", sa.Integer(), nullable=False),
        sa.Column("counted", sa.Integer(), nullable=True),
        sa.Column("expected", sa.Integer(), nullable=True),
        sa.Column("difference", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tills")),
    )
    op.create_index("ix_tills_clerk_opened_at", "tills", ["clerk_id", "opened_at"])
    op.create_index("uq_tills_clerk_open", "tills", ["clerk_id"], unique=True,
                    sqlite_where=sa.text("closed_at IS NULL"),
                    postgresql_where=sa.text("closed_at IS NULL"))
    # Added, not rebuilt: tickets, answers and lines point at orders (and, as voucher_id,
    # without a foreign key: SQLite adds none to an existing table).
    op.add_column("orders", sa.Column("till_id", sa.String(36), nullable=True))
    op.create_index(op.f("ix_orders_till_id"), "orders", ["till_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_orders_till_id"), table_name="orders")
    # Plain DROP COLUMN (SQLite 3.35+): a batch rebuild of orders is refused while other
    # tables point at it.
    op.execute("ALTER TABLE orders DROP COLUMN till_id")
    op.drop_index("uq_tills_clerk_open", table_name="tills")
    op.drop_index("ix_tills_clerk_opened_at", table_name="tills")
    op.drop_table("tills")
