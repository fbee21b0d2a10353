"""quotas: shared capacity: an event's capacity and named quotas several ticket types draw on

Each quota has its own `available` counter, taken from with the ticket type's stock in
the same commit. The event's capacity is a quota without a name, over every type. With
them, test mode: events.test_mode, and orders.test marking the orders placed while their
event was in it (left out of sales reports).

Revision ID: 0023
Revises: 0022
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0023"
down_revision = "0022"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "quotas",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("event_id", sa.String(36), sa.ForeignKey(
            "events.id", name=op.f("fk_quotas_event_id_events"), ondelete="CASCADE"),
            nullable=False),
        sa.Column("name", sa.String(100), nullable=True),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("available", sa.Integer(), nullable=False),
        sa.CheckConstraint("available >= 0", name=op.f("ck_quotas_available_not_negative")),
        sa.CheckConstraint("available <= quantity",
                           name=op.f("ck_quotas_available_within_quantity")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_quotas")),
    )
    op.create_index("ix_quotas_event", "quotas", ["event_id"])
    op.create_table(
        "quota_types",
        sa.Column("quota_id", sa.String(36), sa.ForeignKey(
            "quotas.id", name=op.f("fk_quota_types_quota_id_quotas"), ondelete="CASCADE"),
            nullable=False),
        sa.Column("ticket_type_id", sa.String(36), sa.ForeignKey(
            "ticket_types.id", name=op.f("fk_quota_types_ticket_type_id_ticket_types"),
            ondelete="CASCADE"), nullable=False),
        sa.PrimaryKeyConstraint("quota_id", "ticket_type_id", name=op.f("pk_quota_types")),
    )
    op.create_index("ix_quota_types_type", "quota_types", ["ticket_type_id"])
    # Added, not rebuilt: other tables point at events and orders.
    op.add_column("events", sa.Column("test_mode", sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
    op.add_column("orders", sa.Column("test", sa.Boolean(), nullable=False,
                                      server_default=sa.false()))


def downgrade() -> None:
    # ALTER TABLE ... DROP COLUMN on both databases (SQLite 3.35+), as 0026 does
    op.execute("ALTER TABLE orders DROP COLUMN test")
    op.execute("ALTER TABLE events DROP COLUMN test_mode")
    op.drop_index("ix_quota_types_type", table_name="quota_types")
    op.drop_table("quota_types")
    op.drop_index("ix_quotas_event", table_name="quotas")
    op.drop_table("quotas")
