"""orders: pay_until, how long a card order paid in the buyer's browser stays payable

Revision ID: 0031
Revises: 0030
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0031"
down_revision = "0030"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Added, not rebuilt: order lines and tickets point at orders.
    op.add_column("orders", sa.Column("pay_until", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    # ALTER TABLE ... DROP COLUMN on both databases (SQLite 3.35+), as 0026 does.
    op.execute("ALTER TABLE orders DROP COLUMN pay_until")
