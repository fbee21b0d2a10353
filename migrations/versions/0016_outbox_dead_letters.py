"""outbox: dead letters, and delivered messages keep no payload

A message the daemon cannot read (written under another key, corrupt) or whose handlers
failed five times is set aside instead of stopping or clogging delivery, as SQS moves
such messages to a dead-letter queue; `tix queue dlq redrive` puts it back.

A delivered message's payload (names, addresses, tokens) is now emptied when it is marked
delivered; this empties those delivered before, which nothing reads again.

Revision ID: 0016
Revises: 0015
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("outbox", sa.Column("dead_at", sa.DateTime(timezone=True), nullable=True))
    op.create_index("ix_outbox_dead", "outbox", ["seq"],
                    postgresql_where=sa.text("dead_at IS NOT NULL"),
                    sqlite_where=sa.text("dead_at IS NOT NULL"))
    op.execute("UPDATE outbox SET payload = '' WHERE processed_at IS NOT NULL")


def downgrade() -> None:
    op.drop_index("ix_outbox_dead", table_name="outbox")
    with op.batch_alter_table("outbox") as batch:
        batch.drop_column("dead_at")
