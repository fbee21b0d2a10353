"""vouchers: vouchers and codes, and hidden ticket types they unlock

A voucher is a code of one event: a percent or an amount off, or only the key to hidden
ticket types; `uses_left` counts down with each hold or order that uses it. A hold and
an order remember their voucher (`voucher_id`), the order also the terms it was sold at
(`discount`, JSON). A ticket type may be hidden: sold only with a code that unlocks it.

Revision ID: 0024
Revises: 0023
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0024"
down_revision = "0023"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "vouchers",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("event_id", sa.String(36), sa.ForeignKey(
            "events.id", name=op.f("fk_vouchers_event_id_events"), ondelete="CASCADE"),
            nullable=False),
        sa.Column("code", sa.String(40), nullable=False),
        sa.Column("percent", sa.Integer(), nullable=False),
        sa.Column("amount", sa.Integer(), nullable=False),
        sa.Column("max_uses", sa.Integer(), nullable=False),
        sa.Column("uses_left", sa.Integer(), nullable=False),
        sa.Column("per_order", sa.Integer(), nullable=True),
        sa.Column("valid_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("unlock_only", sa.Boolean(), nullable=False),
        sa.Column("ticket_type_ids", sa.Text(), nullable=False),
        sa.Column("voided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("uses_left >= 0", name=op.f("ck_vouchers_uses_left_not_negative")),
        sa.CheckConstraint("uses_left <= max_uses",
                           name=op.f("ck_vouchers_uses_left_within_max")),
        sa.CheckConstraint("percent >= 0 AND percent <= 100",
                           name=op.f("ck_vouchers_percent_range")),
        sa.CheckConstraint("amount >= 0", name=op.f("ck_vouchers_amount_not_negative")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_vouchers")),
        sa.UniqueConstraint("event_id", "code", name="uq_vouchers_event_code"),
    )
    op.add_column("ticket_types", sa.Column("hidden", sa.Boolean(), nullable=False,
                                            server_default=sa.false()))
    op.add_column("holds", sa.Column("voucher_id", sa.String(36), nullable=True))
    op.add_column("orders", sa.Column("voucher_id", sa.String(36), nullable=True))
    op.add_column("orders", sa.Column("discount", sa.Text(), nullable=True))


def downgrade() -> None:
    # Plain DROP COLUMN (SQLite has it since 3.35): a batch would rebuild ticket_types,
    # holds and orders, which other tables' foreign keys forbid there.
    op.drop_column("orders", "discount")
    op.drop_column("orders", "voucher_id")
    op.drop_column("holds", "voucher_id")
    op.drop_column("ticket_types", "hidden")
    op.drop_table("vouchers")
