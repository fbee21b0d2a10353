"""Search results cached in the real Redis, and what happens when Redis goes away."""

from tests.catalog_support import an_event
from tix.adapters.cache.redis import connect
from tix.core.catalog.search import SearchQuery


def test_results_are_shared_through_redis_and_survive_its_loss(make_runtime, database,
                                                              redis_url):
    first = make_runtime(database, redis_url=redis_url)
    an_event(first)
    assert not first.catalog.search(SearchQuery()).cached
    second = make_runtime(database, redis_url=redis_url)  # another process, same cache
    page = second.catalog.search(SearchQuery())
    assert page.cached and [r.name for r in page.results] == ["Nils Frahm live"]
    # Redis goes away mid-run: searches still answer, from the database.
    second.cache._client = connect("redis://127.0.0.1:1/0")
    page = second.catalog.search(SearchQuery(text="frahm"))
    assert not page.cached and [r.name for r in page.results] == ["Nils Frahm live"]
    assert second.catalog.search(SearchQuery(text="frahm")).results[0].available == 120


def test_a_runtime_pointed_at_no_redis_searches_the_database(make_runtime, database):
    runtime = make_runtime(database, redis_url="redis://127.0.0.1:1/0")
    an_event(runtime)
    assert [r.name for r in runtime.catalog.search(SearchQuery()).results] == [
        "Nils Frahm live"]
