"""Messages: facts one module tells the others, delivered through the outbox.

A message is a frozen dataclass of plain values (str, int, bool, lists of those), so its
payload survives JSON and a queue unchanged. Subclasses register themselves by class name.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar, Protocol

MESSAGE_TYPES: dict[str, type[Message]] = {}


@dataclass(frozen=True, kw_only=True)
class Message:
    message_type: ClassVar[str] = "Message"

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls.message_type = cls.__name__
        MESSAGE_TYPES[cls.__name__] = cls

    def to_payload(self) -> dict[str, Any]:
        # Not dataclasses.asdict: it deep-copies every value, strings and numbers too (a
        # twentieth of a counter sale's own CPU). Plain values need their containers
        # copied, nothing more.
        return {f.name: _plain(getattr(self, f.name)) for f in dataclasses.fields(self)}

    @classmethod
    def from_payload(cls, payload: dict[str, Any]) -> Message:
        known = {f.name for f in dataclasses.fields(cls)}
        return cls(**{k: v for k, v in payload.items() if k in known})


def _plain(value: Any) -> Any:
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    return value


def load_message(name: str, payload: dict[str, Any]) -> Message:
    """Rebuild a message read back from the outbox or a queue."""
    try:
        message_type = MESSAGE_TYPES[name]
    except KeyError:
        raise LookupError(f"unknown message type {name!r}") from None
    return message_type.from_payload(payload)


class Publisher(Protocol):
    def publish(self, *messages: Message) -> None: ...


@dataclass(frozen=True)
class Subscription:
    """One handler of one message type; `name` keys its idempotency record."""

    message: type[Message]
    name: str
    handle: Callable[[Any, Any], None]  # (message, unit of work) -> None


class UnreadableMessage(Exception):
    """A message that cannot be decrypted or decoded: retrying will not change that."""


@dataclass(frozen=True)
class Envelope:
    """A message as it travels: with the id handlers key their idempotency on.

    `unreadable` says why the payload could not be read (another key, corrupt JSON); such
    an envelope travels only to be set aside as a dead letter.
    """

    id: str
    name: str
    payload: dict[str, Any]
    attempts: int = 0
    unreadable: str | None = None

    def open(self) -> Message:
        if self.unreadable is not None:
            raise UnreadableMessage(self.unreadable)
        return load_message(self.name, self.payload)


@dataclass(frozen=True, kw_only=True)
class MessageDeadLettered(Message):
    """The first dead letter since the last redrive: admins are told once, not per message."""

    message_id: str
    message_name: str
    reason: str
