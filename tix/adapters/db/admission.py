"""Units of work at the database a few at a time per process, in the order they came.

Measured with bench/purchase.py (32 buyers in two processes, PostgreSQL): with every
buyer's transaction at the server at once, some thirty backends queue on the hot stock
row's lock and on the lock manager around it, and each commit wakes them all to contend
again; the pool's waiters, meanwhile, are served in no order (a thread that just gave its
connection back takes it again before a woken waiter runs), so a few buyers waited
seconds while the others sold. Letting in as many units of work as the pool's own size,
first come first served, and queueing the rest here — where waiting costs nothing —
sold a third more orders a second and brought the slowest sale from seconds to tens of
milliseconds.

A thread already inside passes again (a unit of work opened within another one takes a
connection of the pool's overflow): a turn it waited for could be its own.
"""

from __future__ import annotations

import threading
from collections import deque

from tix.core.errors import Busy


class Admission:
    """At most `slots` threads inside at a time, let in first come first served; a thread
    that waited `timeout` seconds is refused (Busy) instead."""

    def __init__(self, slots: int, *, timeout: float) -> None:
        if slots < 1:
            raise ValueError("an admission needs at least one slot")
        self._free = slots
        self._waiting: deque[threading.Lock] = deque()  # a locked lock per waiting thread
        self._lock = threading.Lock()
        self._timeout = timeout
        self._inside = threading.local()

    @property
    def waiting(self) -> int:
        """Threads in line for a slot."""
        return len(self._waiting)

    def enter(self) -> None:
        depth = getattr(self._inside, "depth", 0)
        if depth == 0:
            self._wait_for_turn()
        self._inside.depth = depth + 1

    def leave(self) -> None:
        self._inside.depth -= 1
        if self._inside.depth > 0:
            return
        with self._lock:
            if self._waiting:  # the slot goes straight to the first in line: no barging
                self._waiting.popleft().release()
            else:
                self._free += 1

    def _wait_for_turn(self) -> None:
        with self._lock:
            if self._free and not self._waiting:
                self._free -= 1
                return
            turn = threading.Lock()
            turn.acquire()
            self._waiting.append(turn)
        if turn.acquire(timeout=self._timeout):
            return
        with self._lock:
            try:
                self._waiting.remove(turn)
            except ValueError:  # the slot was handed over as the wait ran out: it is ours
                return
        raise Busy("the database is busy: no turn at it came free in time; try again")
