"""reserved for the catalog's search indexes; shipped empty (they landed as 0010)

Databases have applied it as a no-op, so it stays one.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
