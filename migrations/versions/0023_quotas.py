"""quotas: shared capacity: an event's capacity and named quotas several ticket types draw on

Revision ID: 0023
Revises: 0022
"""

from __future__ import annotations

revision = "0023"
down_revision = "0022"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass  # its tables come with the code that uses them


def downgrade() -> None:
    pass
