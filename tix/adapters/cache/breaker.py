"""When Redis stops answering: skip it for a few seconds, then let one caller at a time
find out whether it is back.

Without this, every thread that calls while Redis hangs waits out the socket timeout —
after each pause, every call in flight paid it again. With it, an outage costs one
timeout per retry per process; the other callers go straight to their fallback."""

from __future__ import annotations

import threading
import time

PAUSE = 5.0  # seconds between tries while Redis is unreachable
PROBE_TIMEOUT = 2.0  # a try that never reported back (its thread died) stops blocking


class Breaker:
    def __init__(self, pause: float = PAUSE) -> None:
        self._pause = pause
        self._lock = threading.Lock()
        self._skip_until = 0.0  # 0: Redis answers
        self._probe_until = 0.0  # while one caller tries Redis again

    @property
    def healthy(self) -> bool:
        return self._skip_until == 0.0

    def allows(self) -> bool:
        """May this call go to Redis? Always while it answers; after a failure, no until
        the pause is over, then for one caller (the probe) while the others wait for its
        answer."""
        if self._skip_until == 0.0:
            return True  # the common case, without taking the lock
        with self._lock:
            now = time.monotonic()
            if now < self._skip_until or now < self._probe_until:
                return False
            self._probe_until = now + PROBE_TIMEOUT
            return True

    def succeeded(self) -> None:
        if self._skip_until:
            with self._lock:
                self._skip_until = self._probe_until = 0.0

    def failed(self) -> bool:
        """Record a failure; True when it starts an outage (to be reported once)."""
        with self._lock:
            started = self._skip_until == 0.0
            self._skip_until = time.monotonic() + self._pause
            self._probe_until = 0.0
            return started
