"""What the daemon's /metrics reports, read from the database in one short transaction."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Engine, func, select

from tix.adapters.db.repositories.inventory import tickets_left
from tix.adapters.db.rows.catalog import EventRow, TicketTypeRow
from tix.adapters.db.rows.inventory import HoldRow, StockRow
from tix.adapters.db.rows.messaging import OutboxRow
from tix.adapters.db.rows.notifications import NotificationRow
from tix.adapters.db.rows.orders import OrderRow
from tix.adapters.db.rows.tickets import TicketRow

QUANTILES = ("0.5", "0.95")
DOOR_WINDOW = timedelta(days=1)  # the door counts of events ended longer ago drop out


@dataclass(frozen=True)
class Metric:
    name: str
    help: str
    kind: str  # gauge or counter
    samples: list[tuple[dict[str, str], float]]


def collect(engine: Engine, now: datetime) -> list[Metric]:
    with engine.connect() as conn:
        orders = conn.execute(select(OrderRow.status, func.count())
                              .group_by(OrderRow.status)).all()
        holds = conn.scalar(select(func.count()).select_from(HoldRow).where(
            HoldRow.status == "ACTIVE", HoldRow.expires_at > now)) or 0
        sold_out = conn.scalar(
            select(func.count()).select_from(StockRow)
            .join(TicketTypeRow, TicketTypeRow.id == StockRow.ticket_type_id)
            .join(EventRow, EventRow.id == TicketTypeRow.event_id)
            .where(tickets_left() == 0, EventRow.status == "SCHEDULED",  # quotas too
                   EventRow.starts_at > now)) or 0
        pending, oldest = conn.execute(
            select(func.count(), func.min(OutboxRow.created_at))
            .where(OutboxRow.processed_at.is_(None), OutboxRow.dead_at.is_(None))).one()
        dead = conn.scalar(select(func.count()).select_from(OutboxRow)
                           .where(OutboxRow.dead_at.is_not(None))) or 0
        mail = conn.execute(select(NotificationRow.status, func.count())
                            .group_by(NotificationRow.status)).all()
        checkouts = conn.execute(
            select(OrderRow.created_at, OrderRow.paid_at, OrderRow.completed_at)
            .where(OrderRow.completed_at.is_not(None), OrderRow.tender == "card")
            .order_by(OrderRow.completed_at.desc()).limit(500)).all()
        door = {column.key: conn.execute(
            select(EventRow.number, column, func.count())
            .join(EventRow, EventRow.id == TicketRow.event_id)
            .where(TicketRow.status == "USED", column.is_not(None),
                   EventRow.ends_at > now - DOOR_WINDOW)
            .group_by(EventRow.number, column).order_by(EventRow.number, column)).all()
                for column in (TicketRow.door_list, TicketRow.inside_list)}
    lag = (now - _aware(oldest)).total_seconds() if oldest is not None else 0.0
    seconds = sorted(_between(made, done) for made, _, done in checkouts)
    # orders from before paid_at was recorded (migration 0015) have none: left out
    steps = {"pay": sorted(_between(made, paid) for made, paid, _ in checkouts if paid),
             "confirm": sorted(_between(paid, done) for _, paid, done in checkouts if paid)}
    return [
        Metric("tix_orders", "Orders by status.", "gauge",
               [({"status": status}, float(n)) for status, n in orders]),
        Metric("tix_holds_active", "Holds not yet expired or used.", "gauge",
               [({}, float(holds))]),
        Metric("tix_ticket_types_sold_out", "Ticket types of upcoming events with none left.",
               "gauge", [({}, float(sold_out))]),
        Metric("tix_outbox_pending", "Messages not yet delivered (or relayed to the queue).",
               "gauge", [({}, float(pending))]),
        Metric("tix_queue_lag_seconds", "Age of the oldest undelivered message.", "gauge",
               [({}, max(lag, 0.0))]),
        Metric("tix_outbox_dead_letters",
               "Messages set aside (unreadable, or failed 5 times) until redriven.", "gauge",
               [({}, float(dead))]),
        Metric("tix_mail", "Mails by delivery status (FAILED: to be retried).", "gauge",
               [({"status": status}, float(n)) for status, n in mail]),
        Metric("tix_card_checkout_seconds",
               "Card payment saga, order created to confirmed, over the last 500 (p50, p95).",
               "gauge", [({"quantile": q}, _quantile(seconds, float(q)))
                         for q in QUANTILES]),
        Metric("tix_saga_step_seconds",
               "Card payment saga per step over the last 500 (p50, p95): pay = order "
               "created to the payment service's answer, confirm = that answer to confirmed.",
               "gauge", [({"step": step, "quantile": q}, _quantile(taken, float(q)))
                         for step, taken in steps.items() for q in QUANTILES]),
        Metric("tix_door_admitted",
               "Tickets admitted (an admission that stands) per event and check-in list, "
               "for events not ended a day ago.", "gauge",
               [({"event": f"E{number}", "list": str(name)}, float(n))
                for number, name, n in door["door_list"]]),
        Metric("tix_door_inside",
               "Tickets inside now (admitted, not gone out) per event and check-in list.",
               "gauge", [({"event": f"E{number}", "list": str(name)}, float(n))
                         for number, name, n in door["inside_list"]]),
    ]


def render(metrics: list[Metric]) -> str:
    """The Prometheus text exposition format."""
    lines = []
    for metric in metrics:
        lines += [f"# HELP {metric.name} {metric.help}", f"# TYPE {metric.name} {metric.kind}"]
        for labels, value in metric.samples:
            shown = ",".join(f'{k}="{_label(v)}"' for k, v in labels.items())
            lines.append(f"{metric.name}{{{shown}}} {value:g}" if shown
                         else f"{metric.name} {value:g}")
    return "\n".join(lines) + "\n"


def _label(value: str) -> str:
    """A label's value as the format quotes it (a list's name is anyone's words)."""
    return value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


def _aware(moment: datetime) -> datetime:
    from datetime import UTC

    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _between(start: datetime, end: datetime | None) -> float:
    assert end is not None  # selected for it
    return (_aware(end) - _aware(start)).total_seconds()


def _quantile(ordered: list[float], share: float) -> float:
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))] if ordered else 0.0
