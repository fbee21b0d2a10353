"""order_lines: returned, the line's tickets given back one by one (refunded or voided);
the per-person limits' index carries it (what a buyer kept is read from indexes only)

Revision ID: 0033
Revises: 0032
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0033"
down_revision = "0032"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Added, not rebuilt (tickets' refunds and the sales report read the lines).
    op.add_column("order_lines", sa.Column("returned", sa.Integer(), nullable=False,
                                           server_default="0"))
    # Tickets refunded or voided before this column: voided tickets of completed orders
    # less the ones a transfer replaced (a transfer issues a new ticket in the order).
    op.execute("""
        UPDATE order_lines SET returned = (
            SELECT count(*) FROM tickets
            WHERE tickets.order_id = order_lines.order_id
              AND tickets.ticket_type_id = order_lines.ticket_type_id
              AND tickets.status = 'VOIDED'
        ) - ((SELECT count(*) FROM tickets
              WHERE tickets.order_id = order_lines.order_id
                AND tickets.ticket_type_id = order_lines.ticket_type_id)
             - order_lines.quantity)
        WHERE order_lines.order_id IN (SELECT id FROM orders WHERE status = 'COMPLETED')
          AND EXISTS (SELECT 1 FROM tickets
                      WHERE tickets.order_id = order_lines.order_id
                        AND tickets.ticket_type_id = order_lines.ticket_type_id
                        AND tickets.status = 'VOIDED')
    """)
    op.drop_index("ix_order_lines_order_type", table_name="order_lines")
    op.create_index("ix_order_lines_order_type", "order_lines",
                    ["order_id", "ticket_type_id", "quantity", "returned"])


def downgrade() -> None:
    op.drop_index("ix_order_lines_order_type", table_name="order_lines")
    op.create_index("ix_order_lines_order_type", "order_lines",
                    ["order_id", "ticket_type_id", "quantity"])
    # ALTER TABLE ... DROP COLUMN on both databases (SQLite 3.35+), as 0026 does.
    op.execute("ALTER TABLE order_lines DROP COLUMN returned")
