"""When Redis stops answering: stop asking it, and let a watcher — not a customer — find
out when it is back.

Without this, every call that reached a hung Redis waited out the socket timeout (0.5 s);
letting one caller at a time try again still made one sale in every few seconds per
process pay it. Now the calls go straight to their fallback while a thread pings Redis
every few seconds, and Redis is used again as soon as it answers."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

PAUSE = 5.0  # seconds between pings while Redis is unreachable

log = logging.getLogger(__name__)


class Breaker:
    def __init__(self, is_back: Callable[[], object], pause: float = PAUSE) -> None:
        self._is_back = is_back  # a ping: truthy, or raises, or says no
        self._pause = pause
        self._lock = threading.Lock()
        self._open = False

    def allows(self) -> bool:
        """May this call go to Redis? Not while it is known to be away."""
        return not self._open  # read without the lock: a stale answer costs one call

    def failed(self) -> bool:
        """A call failed: stop sending calls until the watcher hears Redis again. True
        when this starts an outage (to be reported once)."""
        with self._lock:
            if self._open:
                return False
            self._open = True
        threading.Thread(target=self._watch, name="redis-watch", daemon=True).start()
        return True

    def _watch(self) -> None:
        while True:
            time.sleep(self._pause)
            try:
                back = bool(self._is_back())
            except Exception:
                back = False
            if back:
                self._open = False
                log.warning("redis answers again")
                return
