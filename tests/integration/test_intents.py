"""The unit of work's intents, on both databases: applied with the commit, all or none,
a refusal naming the intent that no longer held."""

import pytest

from tests.catalog_support import an_event, organizer
from tests.support import logged_in
from tix.core.intents import IntentRefused
from tix.core.inventory.intents import GiveBackStock, TakeStock, UseHold


def levels(runtime, *ids):
    with runtime.uow(readonly=True) as uow:
        found = uow.stock.levels(list(ids))
    return [found[i].available for i in ids]


@pytest.fixture
def two_types(runtime):
    event_id = an_event(runtime, organizer(runtime))
    standing, seated = runtime.catalog.show(event_id).ticket_types[:2]  # 100 and 20
    return standing.id, seated.id


def test_intents_are_applied_with_the_commit_and_not_before(runtime, two_types):
    standing, seated = two_types
    with runtime.uow() as uow:
        uow.intend(TakeStock(standing, 5), TakeStock(seated, 2), GiveBackStock(seated, 1))
        assert levels(runtime, standing, seated) == [100, 20]  # nothing yet
        uow.commit()
    assert levels(runtime, standing, seated) == [95, 19]


def test_a_refused_intent_names_itself_and_nothing_is_committed(runtime, two_types):
    standing, seated = two_types
    with runtime.uow() as uow:
        uow.intend(TakeStock(standing, 5), GiveBackStock(standing, 1), TakeStock(seated, 21))
        with pytest.raises(IntentRefused) as refused:
            uow.commit()
    assert refused.value.intent == TakeStock(seated, 21)
    assert levels(runtime, standing, seated) == [100, 20]


@pytest.mark.parametrize("short", [0, 1])  # standing (100 left), seated (20 left)
def test_the_take_refused_is_named_whichever_row_comes_first(runtime, two_types, short):
    """On PostgreSQL a take is a plain decrement that the row's CHECK refuses: the refusal
    still names the take that found too few, not the first of the sale's takes."""
    asked = [5, 2]
    asked[short] = [101, 21][short]
    with runtime.uow() as uow:
        uow.intend(*(TakeStock(type_id, n) for type_id, n in zip(two_types, asked, strict=True)))
        with pytest.raises(IntentRefused) as refused:
            uow.commit()
    assert refused.value.intent == TakeStock(two_types[short], asked[short])
    assert levels(runtime, *two_types) == [100, 20]


def test_a_hold_is_used_once(runtime, two_types):
    standing, _ = two_types
    hold = runtime.inventory.place_hold(logged_in(runtime), standing, 2)
    with runtime.uow() as uow:
        uow.intend(UseHold(hold.id))
        uow.commit()
    with runtime.uow() as uow:
        uow.intend(UseHold(hold.id), TakeStock(standing, 1))
        with pytest.raises(IntentRefused) as refused:
            uow.commit()
    assert refused.value.intent == UseHold(hold.id)
    assert levels(runtime, standing) == [98]  # the second work's take was not committed
