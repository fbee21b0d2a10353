"""Settling a long-running process's heap: start-up's objects frozen, later garbage still
collected."""

import gc
import weakref

from tix.heap import settle


class Node:
    def __init__(self) -> None:
        self.me = self  # a reference cycle: only the collector frees it


def test_start_up_objects_are_frozen_and_later_cycles_still_collected():
    kept_from_start_up = Node()
    try:
        settle()
        assert gc.get_freeze_count() > 0
        # the collector no longer looks at what start-up made...
        assert not any(o is kept_from_start_up for o in gc.get_objects())
        later = Node()  # ...but still frees the garbage made afterwards
        gone = weakref.ref(later)
        del later
        gc.collect()
        assert gone() is None
    finally:
        gc.unfreeze()
