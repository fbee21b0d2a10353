"""attendee_questions: answers to the event's questions, per ticket and per order

Revision ID: 0025
Revises: 0024
"""

from __future__ import annotations

revision = "0025"
down_revision = "0024"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass  # its tables come with the code that uses them


def downgrade() -> None:
    pass
