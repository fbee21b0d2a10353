"""Long-running processes (the daemon, the box office, `tix serve`) and Python's garbage collector.

What start-up imports and builds lives as long as the process, yet every full collection
scans it again, with every thread stopped meanwhile: under bench/load.py (125 simulated
box offices a process) one took ~250 ms, and each operation in flight waited it out.
Frozen once start-up is done, those objects are skipped; collections then cost only
what the process's own work left behind."""

from __future__ import annotations

import gc


def settle() -> None:
    """Call once start-up is done: start-up's garbage goes now, the rest is frozen."""
    gc.collect()
    gc.freeze()
