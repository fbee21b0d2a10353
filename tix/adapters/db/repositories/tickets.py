"""Tickets in SQL; holder names are personal data, stored encrypted."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, literal, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from tix.adapters.crypto import FieldCipher
from tix.adapters.db.rows.tickets import (
    CheckinListRow,
    DoorScanRow,
    TicketNumberRow,
    TicketRow,
)
from tix.adapters.db.sql import in_batches, insert_many_ignoring_duplicates, is_postgres
from tix.core.ids import looks_like_uuid
from tix.core.tickets.door import CheckinList, Scan, ScanKind, TicketDoorState
from tix.core.tickets.model import Ticket, TicketAtDoor, TicketStatus, ticket_number


class SqlTickets:
    def __init__(self, session: Session, cipher: FieldCipher) -> None:
        self._session = session
        self._cipher = cipher

    def add_all(self, tickets: list[Ticket]) -> set[str]:
        rows = [{**self.row_values(t), "number": t.number,
                 "sequence": int(t.number.rsplit("-", 1)[1])} for t in tickets]
        return set(insert_many_ignoring_duplicates(
            self._session, TicketRow.__table__, rows))  # type: ignore[arg-type]

    def add_numbered(self, tickets: list[Ticket], event_number: int) -> set[str]:
        """Number new tickets of one event from its counter, and store them."""
        if not tickets:
            return set()
        first = self._take_numbers(tickets[0].event_id, len(tickets))
        for offset, ticket in enumerate(tickets):
            ticket.number = ticket_number(event_number, first + offset)
        return self.add_all(tickets)

    def _take_numbers(self, event_id: str, count: int) -> int:
        """The first of `count` numbers; the event's counter stays locked to the commit."""
        module: Any = postgresql if is_postgres(self._session) else sqlite
        statement = module.insert(TicketNumberRow).values(event_id=event_id, issued=count)
        statement = statement.on_conflict_do_update(
            index_elements=[TicketNumberRow.event_id],
            set_={"issued": TicketNumberRow.issued + count}).returning(TicketNumberRow.issued)
        return int(self._session.scalar(statement) or 0) - count + 1

    def row_values(self, ticket: Ticket) -> dict[str, Any]:
        """A new ticket's row, but its number (given by its commit)."""
        return {"id": ticket.id, "event_id": ticket.event_id, "order_id": ticket.order_id,
                "seat": ticket.seat, "user_id": ticket.user_id,
                "ticket_type_id": ticket.ticket_type_id,
                "holder": self._cipher.encrypt(ticket.holder), "qr_payload": ticket.qr_payload,
                "status": ticket.status.value, "created_at": ticket.created_at}

    def get(self, reference: str) -> Ticket | None:
        column = TicketRow.id if looks_like_uuid(reference) else TicketRow.number
        row = self._session.scalars(select(TicketRow).where(
            column == (reference if column is TicketRow.id else reference.upper()))).first()
        return None if row is None else self._ticket(row)

    def of_order(self, order_id: str) -> list[Ticket]:
        rows = self._session.scalars(select(TicketRow).where(TicketRow.order_id == order_id)
                                     .order_by(TicketRow.seat))
        return [self._ticket(r) for r in rows]

    def of_orders(self, order_ids: list[str]) -> dict[str, list[Ticket]]:
        found: dict[str, list[Ticket]] = {}
        if order_ids:
            rows = self._session.scalars(select(TicketRow)
                                         .where(TicketRow.order_id.in_(set(order_ids)))
                                         .order_by(TicketRow.order_id, TicketRow.seat))
            for row in rows:
                found.setdefault(row.order_id, []).append(self._ticket(row))
        return found

    def of_user(self, user_id: str, limit: int | None) -> list[Ticket]:
        rows = self._session.scalars(select(TicketRow).where(TicketRow.user_id == user_id)
                                     .order_by(TicketRow.created_at.desc(), TicketRow.seat)
                                     .limit(limit))
        return [self._ticket(r) for r in rows]

    def erase_holders(self, user_id: str) -> int:
        result = self._session.execute(update(TicketRow).where(TicketRow.user_id == user_id)
                                       .values(holder=self._cipher.encrypt("(erased)")))
        return int(result.rowcount)  # type: ignore[attr-defined]

    def admit(self, ticket_id: str, by: str, now: datetime) -> bool:
        result = self._session.execute(
            update(TicketRow).where(TicketRow.id == ticket_id,
                                    TicketRow.status == TicketStatus.VALID.value)
            .values(status=TicketStatus.USED.value, checked_in_at=now, checked_in_by=by))
        return bool(result.rowcount)  # type: ignore[attr-defined]

    def admitted(self, event_id: str) -> int:
        return int(self._session.scalar(
            select(func.count()).select_from(TicketRow)
            .where(TicketRow.event_id == event_id,
                   TicketRow.status == TicketStatus.USED.value)) or 0)

    def void_order(self, order_id: str) -> list[str]:
        ids = list(self._session.scalars(select(TicketRow.id).where(
            TicketRow.order_id == order_id, TicketRow.status == TicketStatus.VALID.value)))
        if ids:
            self._session.execute(update(TicketRow).where(
                TicketRow.id.in_(ids), TicketRow.status == TicketStatus.VALID.value
            ).values(status=TicketStatus.VOIDED.value))
        return ids

    def void(self, ticket_id: str) -> bool:
        result = self._session.execute(update(TicketRow).where(
            TicketRow.id == ticket_id, TicketRow.status == TicketStatus.VALID.value)
            .values(status=TicketStatus.VOIDED.value))
        return bool(result.rowcount)  # type: ignore[attr-defined]

    def set_holder(self, ticket_id: str, holder: str) -> bool:
        result = self._session.execute(update(TicketRow).where(
            TicketRow.id == ticket_id, TicketRow.status != TicketStatus.VOIDED.value)
            .values(holder=self._cipher.encrypt(holder)))
        return bool(result.rowcount)  # type: ignore[attr-defined]

    def of_event(self, event_id: str) -> list[Ticket]:
        rows = self._session.scalars(select(TicketRow).where(TicketRow.event_id == event_id)
                                     .order_by(TicketRow.sequence))
        return [self._ticket(r) for r in rows]

    def at_door(self, event_id: str, *, holders: bool, batch: int
                ) -> Iterator[Sequence[TicketAtDoor]]:
        first = (select(DoorScanRow.ticket_id, func.min(DoorScanRow.at).label("at"))
                 .where(DoorScanRow.event_id == event_id,
                        DoorScanRow.kind == ScanKind.ADMIT.value)
                 .group_by(DoorScanRow.ticket_id).subquery())
        holder = TicketRow.holder if holders else literal("")
        query = (select(TicketRow.id, TicketRow.number, TicketRow.order_id, TicketRow.seat,
                        TicketRow.user_id, TicketRow.ticket_type_id, holder.label("holder"),
                        TicketRow.status, TicketRow.checked_in_at, first.c.at)
                 .outerjoin(first, first.c.ticket_id == TicketRow.id)
                 .where(TicketRow.event_id == event_id).order_by(TicketRow.sequence))
        plain = self._cipher.decrypt
        for rows in in_batches(self._session, query, batch):
            yield [TicketAtDoor(
                id=r.id, number=r.number, order_id=r.order_id, seat=r.seat, user_id=r.user_id,
                ticket_type_id=r.ticket_type_id, holder=plain(r.holder) if holders else "",
                status=TicketStatus(r.status), checked_in_at=r.checked_in_at,
                # admitted before the log kept scans: that admission is its first
                first_scan_at=r.at or r.checked_in_at) for r in rows]

    def count_of_event(self, event_id: str) -> int:
        return int(self._session.scalar(select(func.count()).select_from(TicketRow)
                                        .where(TicketRow.event_id == event_id)) or 0)

    def holders_of(self, event_id: str, ticket_type_id: str | None = None) -> list[str]:
        query = select(TicketRow.user_id).distinct().where(
            TicketRow.event_id == event_id,
            TicketRow.status.in_([TicketStatus.VALID.value, TicketStatus.USED.value]))
        if ticket_type_id is not None:
            query = query.where(TicketRow.ticket_type_id == ticket_type_id)
        return list(self._session.scalars(query.order_by(TicketRow.user_id)))

    def types_of_event(self, event_id: str) -> dict[str, int]:
        rows = self._session.execute(
            select(TicketRow.ticket_type_id, func.count())
            .where(TicketRow.event_id == event_id,
                   TicketRow.status.in_([TicketStatus.VALID.value, TicketStatus.USED.value]))
            .group_by(TicketRow.ticket_type_id)).all()
        return {type_id: int(n) for type_id, n in rows}

    def lists(self, event_id: str) -> list[CheckinList]:
        rows = self._session.scalars(select(CheckinListRow).where(
            CheckinListRow.event_id == event_id).order_by(CheckinListRow.name))
        return [CheckinList(event_id=r.event_id, name=r.name, reentry=r.reentry,
                            ticket_type_ids=frozenset(filter(None, r.ticket_type_ids.split(","))))
                for r in rows]

    def add_list(self, checkin_list: CheckinList, now: datetime) -> bool:
        return bool(insert_many_ignoring_duplicates(
            self._session, CheckinListRow.__table__, [{  # type: ignore[arg-type]
                "event_id": checkin_list.event_id, "name": checkin_list.name,
                "ticket_type_ids": ",".join(sorted(checkin_list.ticket_type_ids)),
                "reentry": checkin_list.reentry, "created_at": now}]))

    def remove_list(self, event_id: str, name: str) -> bool:
        result = self._session.execute(delete(CheckinListRow).where(
            CheckinListRow.event_id == event_id, CheckinListRow.name == name))
        return bool(result.rowcount)  # type: ignore[attr-defined]

    def scans_of(self, ticket_id: str) -> list[Scan]:
        rows = self._session.scalars(select(DoorScanRow).where(
            DoorScanRow.ticket_id == ticket_id).order_by(DoorScanRow.seq))
        return [_scan(r) for r in rows]

    def add_scans(self, scans: Sequence[Scan], now: datetime) -> set[str]:
        if not scans:
            return set()
        module: Any = postgresql if is_postgres(self._session) else sqlite
        statement = (module.insert(DoorScanRow).on_conflict_do_nothing(
            index_elements=[DoorScanRow.id]).returning(DoorScanRow.id))
        return set(self._session.scalars(statement, [{
            "id": s.id, "event_id": s.event_id, "ticket_id": s.ticket_id,
            "kind": s.kind.value, "at": s.at, "device": s.device, "list_name": s.list_name,
            "clerk": s.by, "reason": s.reason, "code": s.code, "undoes": s.undoes,
            "recorded_at": now} for s in scans]))

    def scans_since(self, event_id: str, cursor: int, limit: int) -> list[tuple[int, Scan]]:
        rows = self._session.scalars(select(DoorScanRow).where(
            DoorScanRow.event_id == event_id, DoorScanRow.seq > cursor)
            .order_by(DoorScanRow.seq).limit(limit))
        return [(r.seq, _scan(r)) for r in rows]

    def set_door_state(self, ticket_id: str, state: TicketDoorState) -> None:
        admission = state.admission
        self._session.execute(update(TicketRow).where(
            TicketRow.id == ticket_id, TicketRow.status != TicketStatus.VOIDED.value).values(
            status=(TicketStatus.USED if admission else TicketStatus.VALID).value,
            checked_in_at=admission.at if admission else None,
            checked_in_by=(admission.by or None) if admission else None,
            door_list=admission.list_name if admission else None,
            inside_list=state.entered.list_name if state.entered else None))

    def door_counts(self, event_id: str) -> dict[str, tuple[int, int]]:
        counts: dict[str, tuple[int, int]] = {}
        for column, place in ((TicketRow.door_list, 0), (TicketRow.inside_list, 1)):
            for name, n in self._session.execute(
                    select(column, func.count()).where(
                        TicketRow.event_id == event_id, column.is_not(None),
                        TicketRow.status == TicketStatus.USED.value).group_by(column)):
                if name is None:
                    continue
                pair = list(counts.get(name, (0, 0)))
                pair[place] = int(n)
                counts[name] = (pair[0], pair[1])
        return counts

    def _ticket(self, row: TicketRow) -> Ticket:
        return Ticket(id=row.id, number=row.number, event_id=row.event_id,
                      order_id=row.order_id, seat=row.seat, user_id=row.user_id,
                      ticket_type_id=row.ticket_type_id,
                      holder=self._cipher.decrypt(row.holder), qr_payload=row.qr_payload,
                      created_at=row.created_at, status=TicketStatus(row.status),
                      checked_in_at=row.checked_in_at, checked_in_by=row.checked_in_by)


def _scan(row: DoorScanRow) -> Scan:
    return Scan(id=row.id, event_id=row.event_id, ticket_id=row.ticket_id,
                kind=ScanKind(row.kind), at=row.at, device=row.device,
                list_name=row.list_name, by=row.clerk, reason=row.reason, code=row.code,
                undoes=row.undoes)
