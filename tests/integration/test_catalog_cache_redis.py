"""Search results cached in the real Redis, and what happens when Redis goes away."""

from sqlalchemy import text

from tests.catalog_support import an_event, organizer
from tests.support import logged_in
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


def test_an_event_page_is_shared_through_redis_with_its_tickets_left_always_live(
        make_runtime, database, redis_url):
    first = make_runtime(database, redis_url=redis_url)
    owner = organizer(first)
    event_id = an_event(first, owner)
    fresh = first.catalog.show(event_id)  # read from the database, then cached
    second = make_runtime(database, redis_url=redis_url)  # another process, same cache
    with first.engine.begin() as conn:  # behind tix's back: the version does not move
        conn.execute(text("UPDATE events SET name = 'Renamed in SQL' WHERE id = :id"),
                     {"id": event_id})
    assert second.catalog.show(event_id) == fresh  # so the page came from the cache
    standing = fresh.ticket_types[0]
    first.inventory.place_hold(logged_in(first, "ann@example.com"), standing.id, 3)
    page = second.catalog.show(event_id)  # cached text, live tickets left
    assert [(t.name, t.available) for t in page.ticket_types] == [("Standing", 97),
                                                                   ("Seated", 20)]
    assert page.summary.available == 117
    first.catalog.update(owner, event_id, {"venue": "Tempodrom"})  # any change: re-read
    assert second.catalog.show(event_id).summary.venue == "Tempodrom"
    assert second.catalog.show(f"E{fresh.summary.number}").summary.venue == "Tempodrom"
