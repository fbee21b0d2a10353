"""Cache hits and misses counted in the real Redis, where every process's lookups add up
for the daemon's /metrics, in the same round trip as the lookup."""

from datetime import timedelta

import redis

from tests.catalog_support import an_event
from tix.adapters.cache.redis import RedisCache, connect
from tix.core.catalog.search import SearchQuery
from tix.operations import metrics


def test_hits_and_misses_are_counted_in_redis_for_every_process(redis_url):
    box_office, cli = RedisCache(connect(redis_url)), RedisCache(connect(redis_url))
    assert box_office.stats() == cli.stats() == (0, 0)
    assert box_office.get("catalog:a") is None
    box_office.set("catalog:a", "page", timedelta(minutes=1))
    assert cli.get("catalog:a") == "page"  # found by another process
    assert cli.get("catalog:a") == "page"
    assert cli.get("catalog:b") is None
    assert box_office.stats() == cli.stats() == (2, 2)
    raw = redis.Redis.from_url(redis_url, decode_responses=True)
    assert raw.mget(["tix:stats:cache_hits", "tix:stats:cache_misses"]) == ["2", "2"]
    raw.close()


def test_a_counted_lookup_costs_no_extra_round_trip(redis_url):
    client = connect(redis_url)
    cache = RedisCache(client)
    cache.get("warm")  # the script is sent to Redis once, on first use
    sent: list[str] = []
    execute = client.execute_command

    def spy(*args, **options):
        sent.append(args[0])
        return execute(*args, **options)

    client.execute_command = spy
    cache.get("catalog:a")
    cache.set("catalog:a", "page", timedelta(minutes=1))
    assert cache.get("catalog:a") == "page"
    assert sent == ["EVALSHA", "SET", "EVALSHA"]
    assert cache.stats() == (1, 2)


def test_metrics_report_the_hit_ratio_of_every_process_sharing_redis(make_runtime, database,
                                                                    redis_url):
    box_office = make_runtime(database, redis_url=redis_url)
    an_event(box_office)
    hits, misses = box_office.cache.stats()  # whatever setting the event up looked up
    box_office.catalog.search(SearchQuery())  # a miss, then cached
    cli = make_runtime(database, redis_url=redis_url)
    cli.catalog.search(SearchQuery())  # a hit
    cli.catalog.search(SearchQuery(text="frahm"))  # a miss
    daemon = make_runtime(database, redis_url=redis_url)  # searches nothing itself
    assert daemon.cache.stats() == (hits + 1, misses + 2)
    text = metrics(daemon)
    assert f'tix_cache_requests_total{{result="hit"}} {hits + 1}\n' in text
    assert f'tix_cache_requests_total{{result="miss"}} {misses + 2}\n' in text
    assert f"tix_cache_hit_ratio {(hits + 1) / (hits + misses + 3):g}\n" in text
    assert "# TYPE tix_cache_requests_total counter" in text
    assert "every process sharing this Redis" in text


def test_counting_never_fails_a_lookup_when_redis_is_gone(make_runtime, database, redis_url):
    runtime = make_runtime(database, redis_url=redis_url)
    assert runtime.cache.get("catalog:a") is None
    runtime.cache._client = connect("redis://127.0.0.1:1/0")
    assert runtime.cache.get("catalog:a") is None  # a miss, not an error
    assert runtime.cache.stats() is None  # unknown, not zero
    text = metrics(runtime)
    assert "tix_cache_" not in text and "tix_holds_active 0\n" in text  # the rest as ever
    assert RedisCache(connect("redis://127.0.0.1:1/0")).stats() is None
