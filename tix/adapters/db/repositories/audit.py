"""The audit trail in SQL."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import func, insert, or_, select, text, update
from sqlalchemy.orm import Session

from tix.adapters.crypto import FieldCipher
from tix.adapters.db.rows.audit import AuditEntryRow
from tix.core.audit.model import GENESIS, AuditEntry


class SqlAuditLog:
    """Actor and details name people: stored encrypted, verified as the plain content."""

    def __init__(self, session: Session, cipher: FieldCipher) -> None:
        self._session = session
        self._cipher = cipher
        self._new: list[dict[str, Any]] = []

    def add(self, entry: AuditEntry) -> None:
        """Written with the transaction's other new rows when it ends (`flush`, or the
        one round trip that ends a sale): an entry costs no round trip of its own."""
        self._new.append({
            "id": entry.id, "at": entry.at, "action": entry.action,
            "actor_id": entry.actor_id, "actor": self._cipher.encrypt(entry.actor),
            "subject": entry.subject, "origin": entry.origin,
            "details": self._cipher.encrypt(json.dumps(entry.details, sort_keys=True))})

    def flush(self) -> None:
        if self._new:
            self._session.execute(insert(AuditEntryRow), self.take_new())

    def take_new(self) -> list[dict[str, Any]]:
        """The entries added since the last flush, as rows (and forgotten here)."""
        rows, self._new = self._new, []
        return rows

    def unsealed(self, limit: int) -> list[AuditEntry]:
        if self._session.get_bind().dialect.name == "postgresql":
            # One sealer at a time (SQLite's BEGIN IMMEDIATE does the same there).
            self._session.execute(text("SELECT pg_advisory_xact_lock(hashtext('tix.audit'))"))
        rows = self._session.scalars(select(AuditEntryRow)
                                     .where(AuditEntryRow.position.is_(None))
                                     .order_by(AuditEntryRow.seq).limit(limit))
        return [self._entry(r) for r in rows]

    def last_sealed(self) -> tuple[int, str]:
        row = self._session.execute(select(AuditEntryRow.position, AuditEntryRow.hash)
                                    .where(AuditEntryRow.position.is_not(None))
                                    .order_by(AuditEntryRow.position.desc()).limit(1)).first()
        return (0, GENESIS) if row is None else (int(row.position), str(row.hash))

    def save_seal(self, entry: AuditEntry) -> None:
        self._session.execute(update(AuditEntryRow).where(AuditEntryRow.id == entry.id).values(
            position=entry.position, previous_hash=entry.previous_hash, hash=entry.hash))

    def sealed(self) -> list[AuditEntry]:
        rows = self._session.scalars(select(AuditEntryRow)
                                     .where(AuditEntryRow.position.is_not(None))
                                     .order_by(AuditEntryRow.position))
        return [self._entry(r) for r in rows]

    def count_unsealed(self) -> int:
        return int(self._session.scalar(select(func.count()).select_from(AuditEntryRow)
                                        .where(AuditEntryRow.position.is_(None))) or 0)

    def about(self, user_id: str) -> list[AuditEntry]:
        rows = self._session.scalars(select(AuditEntryRow).where(or_(
            AuditEntryRow.actor_id == user_id, AuditEntryRow.subject == f"user:{user_id}"))
            .order_by(AuditEntryRow.seq))
        return [self._entry(r) for r in rows]

    def newest(self, limit: int) -> list[AuditEntry]:
        rows = self._session.scalars(select(AuditEntryRow)
                                     .order_by(AuditEntryRow.seq.desc()).limit(limit))
        return [self._entry(r) for r in rows]

    def _entry(self, row: AuditEntryRow) -> AuditEntry:
        return AuditEntry(id=row.id, at=row.at, action=row.action, actor_id=row.actor_id,
                          actor=self._plain(row.actor),
                          details=json.loads(self._plain(row.details) or "{}"),
                          subject=row.subject, origin=row.origin, position=row.position,
                          previous_hash=row.previous_hash, hash=row.hash)

    def _plain(self, stored: str) -> str:
        try:
            return self._cipher.decrypt(stored)
        except Exception:  # tampered ciphertext: show it as such, verify flags the entry
            return f"<undecryptable: {stored[:20]}…>"
