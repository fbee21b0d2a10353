"""Fakes for fast tests: a clock moved by hand and a mailer that keeps what it is given."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

from tix.core.ports import MailError, OutgoingMail


class FixedClock:
    def __init__(self, now: datetime | None = None) -> None:
        self._now = now or datetime(2026, 11, 24, 12, 0, tzinfo=UTC)
        self._lock = threading.Lock()

    def now(self) -> datetime:
        with self._lock:
            return self._now

    def advance(self, delta: timedelta) -> None:
        with self._lock:
            self._now += delta

    def set(self, moment: datetime) -> None:
        with self._lock:
            self._now = moment


class FakeMailer:
    def __init__(self) -> None:
        self.sent: list[OutgoingMail] = []
        self.failures: list[MailError] = []  # raised, in order, before any send succeeds
        self._lock = threading.Lock()

    def send(self, mail: OutgoingMail) -> None:
        with self._lock:
            if self.failures:
                raise self.failures.pop(0)
            self.sent.append(mail)

    def to(self, address: str) -> list[OutgoingMail]:
        return [m for m in self.sent if m.to.lower() == address.lower()]

    def last_to(self, address: str) -> OutgoingMail:
        mails = self.to(address)
        assert mails, f"no mail was sent to {address}"
        return mails[-1]
