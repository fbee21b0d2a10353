"""A Redis that hangs (accepts connections, never answers) costs the first call its socket
timeout; after that callers go straight to their fallback while a watcher pings it."""

import socket
import threading
import time
from datetime import timedelta

from tix.adapters.cache.breaker import Breaker
from tix.adapters.cache.redis import RedisCache, connect

TIMEOUT = 0.5  # connect()'s socket timeout


def lookups_at_once(cache: RedisCache, callers: int = 20) -> list[float]:
    """How long each of `callers` simultaneous lookups took."""
    waits: list[float] = []
    start = threading.Barrier(callers)

    def look() -> None:
        start.wait()
        began = time.monotonic()
        cache.get("page")
        waits.append(time.monotonic() - began)

    threads = [threading.Thread(target=look) for _ in range(callers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return waits


def test_a_hung_redis_costs_callers_no_wait_and_is_used_again_once_it_answers(redis_url):
    hung = socket.create_server(("127.0.0.1", 0), backlog=128)  # never accepts, never answers
    cache = RedisCache(connect(f"redis://127.0.0.1:{hung.getsockname()[1]}/0"))
    cache._breaker = Breaker(lambda: cache._client.ping(), pause=0.5)
    assert cache.get("page") is None  # the first call finds out, after the timeout
    for _ in range(3):  # nobody waits, however long it lasts: the database answers
        assert max(lookups_at_once(cache)) < TIMEOUT / 5
        time.sleep(0.6)  # meanwhile the watcher pings, and waits, alone
    cache._client = connect(redis_url)  # Redis is back
    deadline = time.monotonic() + 5
    while cache._is_down() and time.monotonic() < deadline:
        time.sleep(0.05)
    cache.set("page", "cached", timedelta(minutes=1))
    assert cache.get("page") == "cached"  # used again...
    assert max(lookups_at_once(cache, 5)) < TIMEOUT / 5  # ...by everyone
    cache._client.delete("tix:page")
    hung.close()
