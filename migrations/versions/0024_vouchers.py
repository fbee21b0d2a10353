"""vouchers: vouchers and codes, and hidden ticket types they unlock

Revision ID: 0024
Revises: 0023
"""

from __future__ import annotations

revision = "0024"
down_revision = "0023"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass  # its tables come with the code that uses them


def downgrade() -> None:
    pass
