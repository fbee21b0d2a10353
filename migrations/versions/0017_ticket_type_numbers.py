"""ticket_types: a number within the event, so people type E12-T2 instead of a UUID

Existing ticket types are numbered 1, 2, ... per event in the order `event show` lists
them (position, then name, then id).

Revision ID: 0017
Revises: 0016
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("ticket_types", sa.Column("number", sa.Integer(), nullable=True))
    conn = op.get_bind()
    rows = conn.execute(sa.text(
        "SELECT id, event_id FROM ticket_types ORDER BY event_id, position, name, id")).all()
    numbers: dict[str, int] = {}
    for ticket_type_id, event_id in rows:
        numbers[event_id] = numbers.get(event_id, 0) + 1
        conn.execute(sa.text("UPDATE ticket_types SET number = :number WHERE id = :id"),
                     {"number": numbers[event_id], "id": ticket_type_id})
    with op.batch_alter_table("ticket_types") as batch:
        batch.alter_column("number", existing_type=sa.Integer(), nullable=False)
        batch.create_unique_constraint("uq_ticket_types_event_number", ["event_id", "number"])


def downgrade() -> None:
    with op.batch_alter_table("ticket_types") as batch:
        batch.drop_constraint("uq_ticket_types_event_number", type_="unique")
        batch.drop_column("number")
