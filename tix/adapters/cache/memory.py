"""An in-process TTL cache for the embedded default."""

from __future__ import annotations

import threading
import time
from datetime import timedelta


class MemoryCache:
    def __init__(self, max_entries: int = 10_000) -> None:
        self._entries: dict[str, tuple[float, str]] = {}
        self._lock = threading.Lock()
        self._max = max_entries
        self._hits = self._misses = 0  # this process's lookups only

    def get(self, key: str) -> str | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None and entry[0] <= time.monotonic():
                del self._entries[key]
                entry = None
            if entry is None:
                self._misses += 1
                return None
            self._hits += 1
            return entry[1]

    def set(self, key: str, value: str, ttl: timedelta) -> None:
        with self._lock:
            if len(self._entries) >= self._max:
                self._evict_expired_or_oldest()
            self._entries[key] = (time.monotonic() + ttl.total_seconds(), value)

    def delete(self, *keys: str) -> None:
        with self._lock:
            for key in keys:
                self._entries.pop(key, None)

    def stats(self) -> tuple[int, int]:
        with self._lock:
            return self._hits, self._misses

    def _evict_expired_or_oldest(self) -> None:
        now = time.monotonic()
        expired = [k for k, (until, _) in self._entries.items() if until <= now]
        for key in expired:
            del self._entries[key]
        if len(self._entries) >= self._max:
            del self._entries[next(iter(self._entries))]


class NoCache:
    """Remembers nothing: for data that must never be stale across processes."""

    def get(self, key: str) -> str | None:
        return None

    def set(self, key: str, value: str, ttl: timedelta) -> None:
        pass

    def delete(self, *keys: str) -> None:
        pass

    def stats(self) -> None:
        return None  # nothing is ever found: a ratio would say nothing
