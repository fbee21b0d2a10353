"""orders: without `step` — a PENDING order's saga state is its status, payment and times

The column said "pay" for every PENDING order and "done" for every other: nothing ever
wrote the step between, and the daemon resumes an order from its status, its payment
reference and the payment service's answer.

Revision ID: 0020
Revises: 0019
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("orders") as batch:
        batch.drop_column("step")


def downgrade() -> None:
    with op.batch_alter_table("orders") as batch:
        batch.add_column(sa.Column("step", sa.String(20), nullable=False,
                                   server_default="done"))
    op.execute("UPDATE orders SET step = 'pay' WHERE status = 'PENDING'")
