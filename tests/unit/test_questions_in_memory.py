"""Questions per attendee and per order: declared in the event file, answered at checkout,
checked before anything is sold, stored with the order, erased with the person."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tests.unit.memory_core import MemoryCore
from tix.core.accounts.events import AccountErased
from tix.core.catalog.model import QuestionKind, QuestionScope
from tix.core.catalog.spec import check_event
from tix.core.errors import Invalid
from tix.core.orders.answers import Answer, erase_answers, export_section
from tix.core.orders.events import PaymentCompleted
from tix.core.orders.model import OrderStatus, Tender

NOW = datetime(2026, 11, 24, 12, tzinfo=UTC)

QUESTIONS = [
    {"key": "diet", "text": "Dietary needs?", "kind": "choice",
     "choices": ["none", "vegetarian", "vegan"], "required": True},
    {"key": "company", "text": "Company (for the invoice)", "per": "order"},
    {"key": "email", "text": "Attendee's email", "kind": "email", "types": ["Seated"]},
    {"key": "photos", "text": "May we photograph you?", "kind": "yes_no"},
]


def spec(**overrides):
    base = {"name": "Gig", "venue": "Club", "city": "Berlin", "starts": "2027-01-10T20:00",
            "ends": "2027-01-10T23:00", "timezone": "Europe/Berlin", "currency": "EUR",
            "ticket_types": [{"name": "Standing", "price": "25.00", "quantity": 10},
                             {"name": "Seated", "price": "40.00", "quantity": 10}],
            "questions": QUESTIONS}
    return base | overrides


def test_the_event_file_declares_questions():
    diet, company, email, photos = check_event(spec(), now=NOW).questions
    assert (diet.key, diet.kind, diet.choices, diet.required, diet.per) == (
        "diet", QuestionKind.CHOICE, ("none", "vegetarian", "vegan"), True,
        QuestionScope.TICKET)
    assert (company.per, company.required, company.kind) == (
        QuestionScope.ORDER, False, QuestionKind.TEXT)
    assert email.types == ("Seated",) and email.asked_of("seated")
    assert not email.asked_of("Standing") and photos.kind is QuestionKind.YES_NO
    assert check_event(spec(questions=None), now=NOW).questions == ()


@pytest.mark.parametrize(("question", "field", "words"), [
    ({"text": "Diet?"}, "questions[0].key", "required"),
    ({"key": "Diet Needs", "text": "Diet?"}, "questions[0].key", "lowercase"),
    ({"key": "diet"}, "questions[0].text", "required"),
    ({"key": "diet", "text": "Diet?", "kind": "essay"}, "questions[0].kind",
     "not one of text, choice, yes_no, email"),
    ({"key": "diet", "text": "Diet?", "kind": "choice", "choices": ["vegan"]},
     "questions[0].choices", "at least two"),
    ({"key": "diet", "text": "Diet?", "choices": ["a", "b"]}, "questions[0].choices",
     "only a choice question"),
    ({"key": "diet", "text": "Diet?", "required": "yes"}, "questions[0].required",
     "true or false"),
    ({"key": "diet", "text": "Diet?", "per": "person"}, "questions[0].per", "not one of"),
    ({"key": "diet", "text": "Diet?", "types": ["VIP"]}, "questions[0].types",
     "'VIP' is not a ticket type of this event"),
    ({"key": "mail", "text": "Email?", "kind": "email", "per": "order"},
     "questions[0].per", "per ticket"),
    ({"key": "diet", "text": "Diet?", "colour": "red"}, "questions[0].colour",
     "unknown field"),
])
def test_each_rule_of_a_question_names_its_field(question, field, words):
    with pytest.raises(Invalid, match=words) as refused:
        check_event(spec(questions=[question]), now=NOW)
    assert refused.value.field == field
    assert refused.value.message.startswith(field)


def test_two_questions_with_one_key_are_refused():
    with pytest.raises(Invalid, match="same key") as refused:
        check_event(spec(questions=[QUESTIONS[1], QUESTIONS[1]]), now=NOW)
    assert refused.value.field == "questions"


@pytest.fixture
def core() -> MemoryCore:
    return MemoryCore()


def asking(core: MemoryCore) -> tuple[str, str]:
    """An event with QUESTIONS: its Standing and Seated ticket types."""
    event_id = core.event(questions=QUESTIONS)
    return core.ticket_type(event_id, "Standing"), core.ticket_type(event_id, "Seated")


def answers_of(core: MemoryCore, order_id: str) -> list[Answer]:
    with core.store(readonly=True) as uow:
        return uow.answers.of_order(order_id)


def test_answers_per_ticket_and_per_order_are_stored_with_the_order(core):
    standing, seated = asking(core)
    clerk = core.clerk(standing)
    order = core.orders.buy_basket(
        clerk, [(standing, 1), (seated, 1)], tender=Tender.CASH,
        answers=[(None, "diet", "Vegan"), (2, "diet", "none"), (None, "company", "ACME"),
                 (2, "email", "ben@example.com"), (1, "photos", "y")])
    assert order.status is OrderStatus.COMPLETED
    assert [(a.seat, a.question, a.value) for a in answers_of(core, order.id)] == [
        (None, "company", "ACME"), (0, "diet", "vegan"), (0, "photos", "yes"),
        (1, "diet", "none"), (1, "email", "ben@example.com")]


@pytest.mark.parametrize(("given", "code", "words"), [
    ([], "answer_required", r"diet \(Dietary needs\?\) needs an answer for ticket 1"),
    ([(None, "diet", "paleo")], "invalid_answer", "'paleo' is not one of none, vegetarian"),
    ([(None, "diet", "none"), (1, "email", "ben@example.com")], "invalid_answer",
     r"email: not asked of ticket 1 \(Standing\)"),
    ([(None, "diet", "none"), (None, "shoe", "42")], "unknown_question",
     "'shoe' is not a question of this event"),
    ([(None, "diet", "none"), (3, "photos", "yes")], "invalid_answer",
     r"ticket 3: the order has 2 ticket\(s\)"),
    ([(None, "diet", "none"), (1, "company", "ACME")], "invalid_answer",
     "asked once of the order"),
    ([(None, "diet", "none"), (None, "photos", "perhaps")], "invalid_answer",
     "answer yes or no"),
])
def test_a_missing_or_bad_answer_refuses_the_sale_and_takes_nothing(core, given, code,
                                                                     words):
    standing, _ = asking(core)
    clerk = core.clerk(standing)
    with pytest.raises(Invalid, match=words) as refused:
        core.orders.buy(clerk, standing, 2, tender=Tender.CASH, answers=given)
    assert (refused.value.code, refused.value.field) == (code, "answers")
    assert core.stock(standing).available == 100
    assert core.store.messages(PaymentCompleted) == []


def test_a_required_answer_is_asked_of_a_hold_paid_by_card_too(core):
    _, seated = asking(core)
    buyer = core.person()
    hold = core.inventory.hold_basket(buyer, [(seated, 1)])
    with pytest.raises(Invalid, match="needs an answer for ticket 1"):
        core.orders.checkout(buyer, hold.id, tender=Tender.CARD)
    order = core.orders.checkout(buyer, hold.id, tender=Tender.CARD,
                                 answers=[(None, "diet", "vegetarian"),
                                          (None, "email", "bea@example.com")])
    assert order.status is OrderStatus.COMPLETED
    assert [a.value for a in answers_of(core, order.id)] == ["vegetarian", "bea@example.com"]
    with pytest.raises(Invalid, match="'bea' is not an email address"):
        core.orders.buy(buyer, seated, 1, tender=Tender.CARD,
                        answers=[(None, "diet", "none"), (None, "email", "bea")])
    assert core.stock(seated).available == 19


def test_an_event_without_questions_takes_no_answers(core):
    standing = core.ticket_type(core.event(), "Standing")
    clerk = core.clerk(standing)
    order = core.orders.buy(clerk, standing, 1, tender=Tender.CASH)
    assert answers_of(core, order.id) == []
    with pytest.raises(Invalid, match="'diet' is not a question of this event"):
        core.orders.buy(clerk, standing, 1, tender=Tender.CASH,
                        answers=[(None, "diet", "vegan")])


def test_answers_are_exported_and_erased_with_the_person(core):
    standing, _ = asking(core)
    buyer = core.person()
    order = core.orders.buy(buyer, standing, 1, tender=Tender.CARD,
                            answers=[(None, "diet", "vegan"), (None, "company", "ACME")])
    with core.store(readonly=True) as uow:
        assert export_section(uow, buyer.user_id) == [
            {"order_id": order.id, "ticket": None, "question": "company",
             "text": "Company (for the invoice)", "answer": "ACME"},
            {"order_id": order.id, "ticket": 1, "question": "diet",
             "text": "Dietary needs?", "answer": "vegan"}]
    with core.store() as uow:
        erase_answers(AccountErased(user_id=buyer.user_id), uow)
        uow.commit()
    assert answers_of(core, order.id) == []
    with core.store(readonly=True) as uow:
        assert export_section(uow, buyer.user_id) == []


def test_a_face_is_told_what_a_sale_will_ask_seat_by_seat(core):
    standing, seated = asking(core)
    asked = core.orders.questions([(seated, 1), (standing, 1), (seated, 1)])
    assert [(a.where, a.ticket_type, a.question.key) for a in asked] == [
        ("the order", "", "company"),
        ("ticket 1", "Seated", "diet"), ("ticket 1", "Seated", "email"),
        ("ticket 1", "Seated", "photos"),
        ("ticket 2", "Seated", "diet"), ("ticket 2", "Seated", "email"),
        ("ticket 2", "Seated", "photos"),
        ("ticket 3", "Standing", "diet"), ("ticket 3", "Standing", "photos")]
    assert core.orders.questions([("E99-T1", 1)]) == []


def test_the_readmes_questions_are_accepted_as_written():
    import re
    from pathlib import Path

    import yaml

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    block = re.search(r"<!-- questions-example -->\n```yaml\n(.*?)```", readme, re.S)
    assert block is not None, "README's questions example"
    questions = check_event(spec(questions=yaml.safe_load(block[1])["questions"]),
                            now=NOW).questions
    assert [q.key for q in questions] == ["diet", "photos", "email", "company"]
