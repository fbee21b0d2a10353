"""A Redis that hangs (accepts connections, never answers) costs one socket timeout per
retry, not one per caller: the rest go straight to their fallback."""

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


def test_a_hung_redis_costs_one_timeout_per_retry_and_is_used_again_once_back(redis_url):
    hung = socket.create_server(("127.0.0.1", 0), backlog=128)  # never accepts, never answers
    cache = RedisCache(connect(f"redis://127.0.0.1:{hung.getsockname()[1]}/0"))
    cache._breaker = Breaker(pause=1.0)
    assert cache.get("page") is None  # the first call finds out, after the timeout
    during_pause = lookups_at_once(cache)
    assert max(during_pause) < TIMEOUT / 5  # nobody waits: the database answers
    time.sleep(1.0)
    after_pause = sorted(lookups_at_once(cache))
    assert after_pause[-1] >= TIMEOUT * 0.8  # one caller tried Redis again and waited...
    assert after_pause[-2] < TIMEOUT / 5  # ...alone
    cache._client = connect(redis_url)  # Redis is back
    time.sleep(1.0)
    cache.set("page", "cached", timedelta(minutes=1))  # the probe: it answers
    assert cache.get("page") == "cached"  # used again...
    assert max(lookups_at_once(cache, 5)) < TIMEOUT / 5  # ...by everyone
    cache._client.delete("tix:page")
    hung.close()
