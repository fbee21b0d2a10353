"""Answers to events' questions in SQL; every answer is personal data, stored encrypted."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import Table, delete, select
from sqlalchemy.orm import Session

from tix.adapters.crypto import FieldCipher
from tix.adapters.db.rows.answers import OrderAnswerRow
from tix.adapters.db.rows.base import table_of
from tix.adapters.db.rows.orders import OrderRow
from tix.adapters.db.sql import one_of
from tix.core.ids import new_id
from tix.core.orders.answers import Answer


class SqlAnswers:
    def __init__(self, session: Session, cipher: FieldCipher, *,
                 insert_later: Callable[[tuple[Table, dict[str, Any]]], None]) -> None:
        self._session = session
        self._cipher = cipher
        self._insert_later = insert_later

    def add(self, order_id: str, answers: list[Answer]) -> None:
        """Written after the order's row, with the rest of the sale's end (one query on
        PostgreSQL)."""
        for position, answer in enumerate(answers):
            self._insert_later((table_of(OrderAnswerRow), {
                "id": new_id(), "order_id": order_id, "position": position, "seat": answer.seat,
                "question": answer.question, "text": answer.text,
                "value": self._cipher.encrypt(answer.value)}))

    def of_order(self, order_id: str) -> list[Answer]:
        return self.of_orders([order_id]).get(order_id, [])

    def of_orders(self, order_ids: list[str]) -> dict[str, list[Answer]]:
        # columns, not entities: an export reads a batch of a thousand orders' answers
        rows = self._session.execute(
            select(OrderAnswerRow.order_id, OrderAnswerRow.seat, OrderAnswerRow.question,
                   OrderAnswerRow.text, OrderAnswerRow.value)
            .where(one_of(self._session, OrderAnswerRow.order_id, order_ids))
            .order_by(OrderAnswerRow.order_id, OrderAnswerRow.position))
        found: dict[str, list[Answer]] = {}
        plain = self._cipher.decrypt
        for order_id, seat, question, text, value in rows:
            found.setdefault(order_id, []).append(Answer(seat=seat, question=question,
                                                         text=text, value=plain(value)))
        return found

    def of_user(self, user_id: str) -> dict[str, list[Answer]]:
        rows = self._session.scalars(
            select(OrderAnswerRow).join(OrderRow, OrderRow.id == OrderAnswerRow.order_id)
            .where(OrderRow.user_id == user_id)
            .order_by(OrderRow.created_at.desc(), OrderAnswerRow.position))
        found: dict[str, list[Answer]] = {}
        for row in rows:
            found.setdefault(row.order_id, []).append(self._answer(row))
        return found

    def erase_of_user(self, user_id: str) -> int:
        result = self._session.execute(delete(OrderAnswerRow).where(
            OrderAnswerRow.order_id.in_(select(OrderRow.id).where(
                OrderRow.user_id == user_id))))
        return int(result.rowcount)  # type: ignore[attr-defined]

    def _answer(self, row: OrderAnswerRow) -> Answer:
        return Answer(seat=row.seat, question=row.question, text=row.text,
                      value=self._cipher.decrypt(row.value))
