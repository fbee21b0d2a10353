"""notifications: an index on (source_message_id, user_id), so that a message to every
holder of an event, run again, finds whom it has reached without reading the mail log

Revision ID: 0030
Revises: 0029
"""

from __future__ import annotations

from alembic import op

revision = "0030"
down_revision = "0029"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_notifications_source_message_id_user_id", "notifications",
                    ["source_message_id", "user_id"])


def downgrade() -> None:
    op.drop_index("ix_notifications_source_message_id_user_id", table_name="notifications")
