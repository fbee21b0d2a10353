"""An export of an event's data (its attendees, its orders): rows read a batch at a time in
one read-only transaction and handed on one by one, so memory does not grow with the
event; audited when it ends (who, which event, how many rows, whether it finished).

Shared by the modules that own the data (tickets, orders): each reads its rows, this
streams and audits them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from tix.core.audit.service import AuditService
from tix.core.ports import UnitOfWork, UnitOfWorkFactory
from tix.core.principal import Principal

T = TypeVar("T")

BATCH = 1000  # rows per read: one round trip each, a few hundred kilobytes at most

EXPORT_FORMATS = ("csv", "json")


@dataclass
class Export(Generic[T]):
    """What an export is about, and its rows: iterating `rows` reads them (once)."""

    event_id: str
    event_number: int
    event_name: str
    total: int  # rows expected (a progress bar's end; rows may come and go meanwhile)
    personal_data: bool  # False: names, addresses and answers were left out, not read
    rows: Iterator[T]
    columns: tuple[str, ...] = ()  # extra columns of its rows (the event's questions)


@dataclass(frozen=True)
class ExportAudit:
    """The audit entry an export ends with."""

    audit: AuditService
    uow: UnitOfWorkFactory
    action: str  # "event.attendees_exported"
    principal: Principal
    event_id: str
    details: dict[str, str]


def streamed(uow: UnitOfWorkFactory, read: Callable[[UnitOfWork], Iterator[Sequence[T]]],
             audit: ExportAudit) -> Iterator[T]:
    """The rows `read` gives, batch by batch, one by one; the audit entry is written when
    the rows end, or when the reader stops early or fails (with the rows handed so far:
    those left the system)."""
    count, complete = 0, False
    try:
        with uow(readonly=True) as work:
            for batch in read(work):
                for row in batch:
                    count += 1  # handed on: counted even if the reader stops here
                    yield row
        complete = True
    finally:
        _record(audit, count, complete)


def _record(audit: ExportAudit, count: int, complete: bool) -> None:
    with audit.uow() as work:
        audit.audit.record(work, audit.action, subject=f"event:{audit.event_id}",
                           actor_id=audit.principal.user_id, actor=audit.principal.email,
                           details={**audit.details, "rows": str(count),
                                    "complete": "yes" if complete else "no"})
        work.commit()
