"""event_team: the people on an event's team (co-organizer, clerk, door), one role each

A clerk sells and a door person scans only for the events whose team has them; a
co-organizer does the organizer's work for the event. Admins stay global.

Revision ID: 0028
Revises: 0027
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0028"
down_revision = "0027"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "event_team",
        sa.Column("event_id", sa.String(36), sa.ForeignKey(
            "events.id", name=op.f("fk_event_team_event_id_events"), ondelete="CASCADE"),
            nullable=False),
        sa.Column("user_id", sa.String(36), sa.ForeignKey(
            "users.id", name=op.f("fk_event_team_user_id_users")), nullable=False),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("added_by", sa.String(36), nullable=False),
        sa.CheckConstraint("role IN ('co-organizer', 'clerk', 'door')",
                           name=op.f("ck_event_team_role_known")),
        sa.PrimaryKeyConstraint("event_id", "user_id", name=op.f("pk_event_team")),
    )
    op.create_index("ix_event_team_user_id", "event_team", ["user_id", "role"])


def downgrade() -> None:
    op.drop_index("ix_event_team_user_id", table_name="event_team")
    op.drop_table("event_team")
