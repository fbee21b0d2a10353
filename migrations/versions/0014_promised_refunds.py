"""orders: the refund promised when a buyer's cancellation was requested, why, and who
is finishing a requested cancellation until when

A buyer's cancellation is recorded before the refund is asked for: should the payment
service's answer be lost, the daemon finishes it with the amount the buyer was shown.
Whoever refunds a requested cancellation claims it first, so no two refund it at once.

Revision ID: 0014
Revises: 0013
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("orders", sa.Column("cancel_refund", sa.Integer(), nullable=True))
    op.add_column("orders", sa.Column("cancel_reason", sa.String(length=200), nullable=True))
    op.add_column("orders", sa.Column("cancel_claimed_until", sa.DateTime(timezone=True),
                                      nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("orders") as batch:
        batch.drop_column("cancel_claimed_until")
        batch.drop_column("cancel_reason")
        batch.drop_column("cancel_refund")
