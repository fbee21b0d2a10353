"""Re-encrypting personal data with the current key: `tix admin rotate-key`.

Batches of rows, each batch its own transaction, only rows not yet on the current key:
stopped at any point, a second run carries on where the first left off. Values written
before encryption existed are encrypted too, and users' lookup keys recomputed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import Engine, MetaData, Table, or_, select, update

from tix.adapters.crypto import PREFIX, FieldCipher
from tix.adapters.db.engine import translated_errors

# Every encrypted column, by table: a module that stores personal data adds its own here.
ENCRYPTED_COLUMNS: dict[str, tuple[str, ...]] = {
    "users": ("email", "name", "date_of_birth"),
    "notifications": ("recipient", "subject", "text_body", "html_body", "last_error"),
    "outbox": ("payload",),
    "audit_entries": ("actor", "details"),
    "orders": ("holders",),
    "order_answers": ("value",),
    "tickets": ("holder",),
}
BATCH = 500


@dataclass
class RekeyProgress:
    table: str
    rows: int


def rekey(engine: Engine, cipher: FieldCipher, metadata: MetaData,
          progress: Callable[[RekeyProgress], None] = lambda _: None) -> int:
    """Move every encrypted value to the current key; returns how many rows changed."""
    total = 0
    for name, columns in ENCRYPTED_COLUMNS.items():
        table = metadata.tables.get(name)
        if table is None:
            continue
        while changed := _rekey_batch(engine, cipher, table, columns):
            total += changed
            progress(RekeyProgress(name, changed))
    return total


def _rekey_batch(engine: Engine, cipher: FieldCipher, table: Table,
                 columns: tuple[str, ...]) -> int:
    current = f"{PREFIX}:{cipher.current_key_id}:"
    stale = or_(*(table.c[c].is_not(None) & (table.c[c] != "")  # "": scrubbed, nothing
                  & ~table.c[c].startswith(current) for c in columns))
    if "dead_at" in table.c:  # a dead letter may be unreadable: it waits until redriven
        stale = stale & table.c.dead_at.is_(None)
    key = next(iter(table.primary_key.columns))
    with translated_errors(), engine.begin() as conn:
        rows = conn.execute(select(key, *(table.c[c] for c in columns)).where(stale)
                            .limit(BATCH).with_for_update()).all()
        for row in rows:
            values = {c: cipher.encrypt(cipher.decrypt(getattr(row, c)))
                      for c in columns if getattr(row, c) is not None}
            if table.name == "users":
                values["email_key"] = cipher.blind_index(cipher.decrypt(row.email))
            conn.execute(update(table).where(key == row[0]).values(**values))
    return len(rows)
