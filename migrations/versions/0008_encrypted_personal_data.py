"""encrypted personal data: room for ciphertext in personal columns

Values written before this revision stay readable (no "v1:" prefix: read as they are) and
`tix admin rotate-key` encrypts them, and moves their email lookup key to the blind index.

Revision ID: 0008
Revises: 0007
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

WIDENED = [("audit_entries", "actor", 320), ("notifications", "recipient", 320),
           ("users", "email", 320), ("users", "name", 200)]


def upgrade() -> None:
    for table, column, length in WIDENED:
        with op.batch_alter_table(table) as batch_op:
            batch_op.alter_column(column, existing_type=sa.String(length), type_=sa.Text(),
                                  existing_nullable=False)
    with op.batch_alter_table("users") as batch_op:
        batch_op.alter_column("date_of_birth", existing_type=sa.Date(), type_=sa.Text(),
                              existing_nullable=True,
                              postgresql_using="date_of_birth::text")


def downgrade() -> None:
    with op.batch_alter_table("users") as batch_op:
        batch_op.alter_column("date_of_birth", existing_type=sa.Text(), type_=sa.Date(),
                              existing_nullable=True,
                              postgresql_using="date_of_birth::date")
    for table, column, length in WIDENED:
        with op.batch_alter_table(table) as batch_op:
            batch_op.alter_column(column, existing_type=sa.Text(), type_=sa.String(length),
                                  existing_nullable=False)
