"""Stock levels in SQL."""

from __future__ import annotations

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from tix.adapters.db.rows.inventory import StockRow
from tix.core.inventory.ports import StockLevel


class SqlStock:
    def __init__(self, session: Session) -> None:
        self._session = session

    def add(self, ticket_type_id: str, quantity: int) -> None:
        self._session.execute(insert(StockRow).values(
            ticket_type_id=ticket_type_id, quantity=quantity, available=quantity))

    def resize(self, ticket_type_id: str, quantity: int) -> bool:
        """Change the quantity; refused (False) below what is already sold or held."""
        result = self._session.execute(
            update(StockRow)
            .where(StockRow.ticket_type_id == ticket_type_id,
                   StockRow.quantity - StockRow.available <= quantity)
            .values(available=StockRow.available + (quantity - StockRow.quantity),
                    quantity=quantity))
        return bool(result.rowcount)  # type: ignore[attr-defined]

    def levels(self, ticket_type_ids: list[str]) -> dict[str, StockLevel]:
        rows = self._session.execute(select(StockRow.ticket_type_id, StockRow.quantity,
                                            StockRow.available)
                                     .where(StockRow.ticket_type_id.in_(ticket_type_ids)))
        return {r.ticket_type_id: StockLevel(r.ticket_type_id, r.quantity, r.available)
                for r in rows}
