"""orders: when the payment service said a card order was paid

The card saga's steps can then be timed apart: reserve → paid (the payment service) and
paid → confirmed (our own transaction), as the daemon's /metrics reports them. Orders
from before this revision have none and are left out of those figures.

Revision ID: 0015
Revises: 0014
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("orders", sa.Column("paid_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("orders") as batch:
        batch.drop_column("paid_at")
