"""Events: who may create and change them, what changes tell holders, how they are found."""

from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import text

from tests.catalog_support import an_event, event_spec, organizer
from tests.support import deliver, logged_in
from tix.core.catalog.model import Category
from tix.core.catalog.search import SearchQuery, SortOrder
from tix.core.errors import NotAllowed, NotFound, RuleViolation
from tix.core.orders.events import PaymentCompleted
from tix.core.principal import Principal, Role


def test_an_organizer_creates_an_event_with_its_inventory(runtime):
    event_id = an_event(runtime)
    details = runtime.catalog.show(event_id)
    assert details.summary.name == "Nils Frahm live"
    assert [(t.name, t.price, t.quantity, t.available, t.limit)
            for t in details.ticket_types] == [("Standing", 4500, 100, 100, 4),
                                               ("Seated", 6550, 20, 20, None)]
    assert runtime.catalog.show(f"E{details.summary.number}").summary.id == event_id


def test_customers_and_clerks_cannot_create_events(runtime):
    for role in (Role.CUSTOMER, Role.CLERK):
        someone = logged_in(runtime, f"{role.value}@example.com", role=role)
        with pytest.raises(NotAllowed):
            runtime.catalog.create(someone, event_spec(runtime))


def test_only_the_events_organizer_or_an_admin_may_change_it(runtime):
    event_id = an_event(runtime)
    other = organizer(runtime, "other@example.com")
    with pytest.raises(NotAllowed):
        runtime.catalog.update(other, event_id, {"name": "Mine now"})
    with pytest.raises(NotAllowed):
        runtime.catalog.cancel(other, event_id)
    admin = logged_in(runtime, "root@example.com", role=Role.ADMIN)
    runtime.catalog.update(admin, event_id, {"name": "Renamed by admin"})
    assert runtime.catalog.show(event_id).summary.name == "Renamed by admin"


def test_a_new_time_or_venue_is_published_for_holders_but_a_new_name_is_not(runtime):
    owner = organizer(runtime)
    event_id = an_event(runtime, owner)
    runtime.catalog.update(owner, event_id, {"description": "Even longer."})
    runtime.catalog.update(owner, event_id, {"venue": "Tempodrom"})
    published = [e for e in runtime.outbox.claim("test", limit=50) if e.name == "EventUpdated"]
    assert len(published) == 1
    assert published[0].open().changes == {"venue": ["Funkhaus", "Tempodrom"]}


def test_quantities_cannot_go_below_what_is_sold_or_held(runtime):
    owner = organizer(runtime)
    event_id = an_event(runtime, owner)
    standing = runtime.catalog.show(event_id).ticket_types[0]
    with runtime.engine.begin() as conn:  # as if 30 were sold or held
        conn.execute(text("UPDATE stock SET available = available - 30 "
                          "WHERE ticket_type_id = :id"), {"id": standing.id})
    with pytest.raises(RuleViolation, match="below what is already sold or held"):
        runtime.catalog.update(owner, event_id, {"ticket_types": [
            {"id": standing.id, "quantity": 29}]})
    runtime.catalog.update(owner, event_id, {"ticket_types": [
        {"name": "Standing", "quantity": 30}, {"name": "Balcony", "price": "30", "quantity": 5}]})
    types = {t.name: t for t in runtime.catalog.show(event_id).ticket_types}
    assert (types["Standing"].quantity, types["Standing"].available) == (30, 0)
    assert types["Balcony"].available == 5


def test_cancelling_publishes_once_and_hides_the_event(runtime):
    owner = organizer(runtime)
    event_id = an_event(runtime, owner)
    runtime.catalog.cancel(owner, event_id, "The artist is ill")
    with pytest.raises(RuleViolation, match="already cancelled"):
        runtime.catalog.cancel(owner, event_id)
    assert runtime.catalog.search(SearchQuery()).results == []
    everything = runtime.catalog.search(SearchQuery(include_cancelled=True))
    assert [r.status for r in everything.results] == ["CANCELLED"]
    names = [e.name for e in runtime.outbox.claim("test", limit=50)]
    assert names.count("EventCancelled") == 1


def test_unknown_events_are_not_found(runtime):
    for reference in ("E999", "nope", "00000000-0000-0000-0000-000000000000"):
        with pytest.raises(NotFound):
            runtime.catalog.show(reference)


def seed_catalog(runtime):
    owner = organizer(runtime)
    ids = {
        "frahm": an_event(runtime, owner, days=30),
        "jazz": an_event(runtime, owner, days=10, name="Jazz im Hof", city="Vienna",
                         venue="Porgy & Bess", description="A quartet in the courtyard.",
                         ticket_types=[
                             {"name": "GA", "price": "20", "quantity": 5}]),
        "derby": an_event(runtime, owner, days=20, name="Derby day", category="sports",
                          city="Berlin", venue="Stadion", description="Ninety minutes.",
                          ticket_types=[
                              {"name": "Stand", "price": "90", "quantity": 1000}]),
        "past": an_event(runtime, owner, days=2, name="Yesterday's gig"),
    }
    runtime.clock.advance(timedelta(days=3))  # the last one is over now
    return ids


def names(page) -> list[str]:
    return [r.name for r in page.results]


def test_search_matches_words_and_prefixes_in_name_venue_and_city(runtime):
    seed_catalog(runtime)
    assert names(runtime.catalog.search(SearchQuery(text="frahm"))) == ["Nils Frahm live"]
    assert names(runtime.catalog.search(SearchQuery(text="porgy"))) == ["Jazz im Hof"]
    assert names(runtime.catalog.search(SearchQuery(text="vien"))) == ["Jazz im Hof"]
    assert names(runtime.catalog.search(SearchQuery(text="piano synth"))) == [
        "Nils Frahm live"]
    assert names(runtime.catalog.search(SearchQuery(text="'; DROP TABLE events; --"))) == []


def test_filters_and_sorting(runtime):
    seed_catalog(runtime)
    search = runtime.catalog.search
    assert names(search(SearchQuery())) == ["Jazz im Hof", "Derby day", "Nils Frahm live"]
    assert names(search(SearchQuery(city="berlin"))) == ["Derby day", "Nils Frahm live"]
    assert names(search(SearchQuery(category=Category.SPORTS))) == ["Derby day"]
    assert names(search(SearchQuery(sort=SortOrder.PRICE))) == [
        "Jazz im Hof", "Nils Frahm live", "Derby day"]
    assert names(search(SearchQuery(min_price=Decimal(50), max_price=Decimal(70)))) == [
        "Nils Frahm live"]
    assert names(search(SearchQuery(include_past=True)))[0] == "Yesterday's gig"
    assert names(search(SearchQuery(limit=1, offset=1))) == ["Derby day"]
    now = runtime.clock.now()
    assert names(search(SearchQuery(starts_from=now + timedelta(days=15),
                                    starts_until=now + timedelta(days=25)))) == ["Derby day"]


def test_popularity_counts_tickets_sold_in_the_last_week(runtime):
    ids = seed_catalog(runtime)
    derby = runtime.catalog.show(ids["derby"]).ticket_types[0].id
    frahm = runtime.catalog.show(ids["frahm"]).ticket_types[0].id
    with runtime.uow() as uow:
        for ticket_type, quantity in ((derby, 2), (frahm, 5)):
            uow.publish(PaymentCompleted(order_id="o", order_number="TIX-1", user_id="u",
                                         ticket_type_id=ticket_type, quantity=quantity))
        uow.commit()
    deliver(runtime)
    page = runtime.catalog.search(SearchQuery(sort=SortOrder.POPULARITY))
    assert names(page)[:2] == ["Nils Frahm live", "Derby day"]
    runtime.clock.advance(timedelta(days=8))
    with runtime.uow() as uow:
        uow.publish(PaymentCompleted(order_id="o2", order_number="TIX-2", user_id="u",
                                     ticket_type_id=derby, quantity=1))
        uow.commit()
    deliver(runtime)  # the week-old sales fall out of the score
    assert names(runtime.catalog.search(SearchQuery(sort=SortOrder.POPULARITY)))[0] == \
        "Derby day"


def test_only_available_hides_sold_out_events_even_from_a_cached_page(runtime):
    ids = seed_catalog(runtime)
    assert "Jazz im Hof" in names(runtime.catalog.search(SearchQuery(only_available=True)))
    jazz = runtime.catalog.show(ids["jazz"]).ticket_types[0].id
    with runtime.engine.begin() as conn:  # every ticket held by someone
        conn.execute(text("UPDATE stock SET available = 0 WHERE ticket_type_id = :id"),
                     {"id": jazz})
    page = runtime.catalog.search(SearchQuery(only_available=True))
    assert page.cached and "Jazz im Hof" not in names(page)
    listed = {r.name: r.available for r in runtime.catalog.search(SearchQuery()).results}
    assert listed["Jazz im Hof"] == 0


def test_a_changed_event_is_never_served_from_the_cache(runtime):
    ids = seed_catalog(runtime)
    assert not runtime.catalog.search(SearchQuery()).cached
    assert runtime.catalog.search(SearchQuery()).cached
    owner_id = runtime.catalog.show(ids["jazz"]).organizer_id
    owner = Principal(owner_id, "olga@example.com", "Olga", Role.ORGANIZER, "session")
    runtime.catalog.update(owner, ids["jazz"], {"name": "Jazz im Hof (late show)"})
    page = runtime.catalog.search(SearchQuery())
    assert not page.cached and "Jazz im Hof (late show)" in names(page)


def test_suggestions_complete_names_best_first(runtime):
    seed_catalog(runtime)
    assert [s.name for s in runtime.catalog.suggest("ja")] == ["Jazz im Hof"]
    assert [s.name for s in runtime.catalog.suggest("der")] == ["Derby day"]
    assert runtime.catalog.suggest("   ") == []
    assert runtime.catalog.suggest("yesterday") == []  # past events are not suggested


@pytest.mark.parametrize("database", ["postgres"], indirect=True)
def test_suggestions_forgive_typos_on_postgresql(runtime):
    seed_catalog(runtime)
    assert [s.name for s in runtime.catalog.suggest("frham")] == ["Nils Frahm live"]
