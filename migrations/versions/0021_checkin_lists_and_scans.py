"""checkin_lists and door_scans: check-in lists per event, and the server's scan log

Every scan at an online door is a row of door_scans (admit, exit, undo, refuse), and so is
every scan an offline door uploads (once each, by its id). tickets gains the door's state
kept in step with that log: the list of the admission that stands and the list it is
inside through now. Each ticket already checked in gets its admission as a scan of the
"main" list (by whoever admitted it, at that time; the scan's id is the ticket's), and
is inside.

Revision ID: 0021
Revises: 0020
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "checkin_lists",
        sa.Column("event_id", sa.String(36), nullable=False),
        sa.Column("name", sa.String(60), nullable=False),
        sa.Column("ticket_type_ids", sa.Text(), nullable=False),
        sa.Column("reentry", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["event_id"], ["events.id"],
                                name=op.f("fk_checkin_lists_event_id_events")),
        sa.PrimaryKeyConstraint("event_id", "name", name=op.f("pk_checkin_lists")))
    op.create_table(
        "door_scans",
        sa.Column("seq", sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
                  autoincrement=True, nullable=False),
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("event_id", sa.String(36), nullable=False),
        sa.Column("ticket_id", sa.String(36), nullable=False),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("device", sa.String(60), nullable=False),
        sa.Column("list_name", sa.String(60), nullable=False),
        sa.Column("clerk", sa.String(200), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("code", sa.String(40), nullable=False),
        sa.Column("undoes", sa.String(36), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["event_id"], ["events.id"],
                                name=op.f("fk_door_scans_event_id_events")),
        sa.ForeignKeyConstraint(["ticket_id"], ["tickets.id"],
                                name=op.f("fk_door_scans_ticket_id_tickets")),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_door_scans")),
        sa.UniqueConstraint("id", name=op.f("uq_door_scans_id")))
    op.create_index("ix_door_scans_ticket_id", "door_scans", ["ticket_id"])
    op.create_index("ix_door_scans_event_id_seq", "door_scans", ["event_id", "seq"])
    # plain ALTER TABLE … ADD COLUMN (no rebuild of tickets, which door_scans points at)
    op.add_column("tickets", sa.Column("door_list", sa.String(60), nullable=True))
    op.add_column("tickets", sa.Column("inside_list", sa.String(60), nullable=True))
    op.create_index("ix_tickets_event_id_inside_list", "tickets", ["event_id", "inside_list"])
    # the ticket's id is its legacy admission's: a uuid too, and one admission per ticket
    op.execute(
        "INSERT INTO door_scans (id, event_id, ticket_id, kind, at, device, list_name, clerk, "
        "reason, code, undoes, recorded_at) SELECT id, event_id, id, 'ADMIT', "
        "checked_in_at, 'server', 'main', COALESCE(checked_in_by, ''), '', '', '', "
        "checked_in_at FROM tickets WHERE status = 'USED' AND checked_in_at IS NOT NULL "
        "ORDER BY checked_in_at, id")
    op.execute("UPDATE tickets SET door_list = 'main', inside_list = 'main' "
               "WHERE status = 'USED'")


def downgrade() -> None:
    op.drop_index("ix_door_scans_event_id_seq", table_name="door_scans")
    op.drop_index("ix_door_scans_ticket_id", table_name="door_scans")
    op.drop_table("door_scans")  # first: rebuilding tickets on SQLite drops the old table
    op.drop_table("checkin_lists")
    op.drop_index("ix_tickets_event_id_inside_list", table_name="tickets")
    with op.batch_alter_table("tickets") as batch:
        batch.drop_column("inside_list")
        batch.drop_column("door_list")
