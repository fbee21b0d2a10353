"""holds: tickets set aside for a buyer for a few minutes

Revision ID: 0011
Revises: 0010
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "holds",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("ticket_type_id", sa.String(length=36), nullable=False),
        sa.Column("user_id", sa.String(length=36), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.CheckConstraint("quantity >= 1", name=op.f("ck_holds_quantity_positive")),
        sa.ForeignKeyConstraint(["ticket_type_id"], ["ticket_types.id"], ondelete="CASCADE",
                                name=op.f("fk_holds_ticket_type_id_ticket_types")),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"],
                                name=op.f("fk_holds_user_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_holds")))
    op.create_index("ix_holds_buyer", "holds", ["user_id", "ticket_type_id", "status"])
    op.create_index("ix_holds_type_status", "holds", ["ticket_type_id", "status"])
    op.create_index("ix_holds_active_expiry", "holds", ["expires_at"],
                    postgresql_where=sa.text("status = 'ACTIVE'"),
                    sqlite_where=sa.text("status = 'ACTIVE'"))


def downgrade() -> None:
    op.drop_table("holds")
