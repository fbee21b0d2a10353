"""Messages the catalog module publishes (notifications and orders subscribe)."""

from __future__ import annotations

from dataclasses import dataclass, field

from tix.core.messages import Message


@dataclass(frozen=True, kw_only=True)
class EventPublished(Message):
    event_id: str
    organizer_id: str
    name: str


@dataclass(frozen=True, kw_only=True)
class EventUpdated(Message):
    """Only for changes that matter to ticket holders: time, place."""

    event_id: str
    event_name: str
    changes: dict[str, list[str]] = field(default_factory=dict)  # field -> [old, new]


@dataclass(frozen=True, kw_only=True)
class EventCancelled(Message):
    event_id: str
    event_name: str
    reason: str = ""
