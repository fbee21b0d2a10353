"""The in-process cache counts its own lookups, for the daemon's /metrics."""

from datetime import timedelta

from tix.adapters.cache.memory import MemoryCache, NoCache


def test_the_in_process_cache_counts_its_hits_and_misses():
    cache = MemoryCache()
    assert cache.stats() == (0, 0)
    assert cache.get("catalog:a") is None
    cache.set("catalog:a", "page", timedelta(minutes=1))
    assert cache.get("catalog:a") == "page"
    assert cache.get("catalog:a") == "page"
    cache.set("catalog:gone", "page", timedelta(0))  # expired at once
    assert cache.get("catalog:gone") is None
    cache.delete("catalog:a")
    assert cache.get("catalog:a") is None
    assert cache.stats() == (2, 3)


def test_a_cache_that_remembers_nothing_reports_no_ratio():
    cache = NoCache()
    assert cache.get("session:s1") is None
    assert cache.stats() is None
