"""Answers to the event's questions (the event file's `questions`), per ticket and per
order: checked against the questions when the order is placed, stored with it in the same
transaction (encrypted: they are personal data), exported with the buyer's data and
erased with them.

An answer given with a ticket number (`2:diet=vegan`, the second ticket of the order)
answers for that ticket; one without a number answers a question of the order, or a
question of the tickets for every ticket asked it that has no answer of its own.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from tix.core.accounts.events import AccountErased
from tix.core.catalog.model import Question, QuestionKind, QuestionScope, TicketTypeView
from tix.core.catalog.public import questions as event_questions
from tix.core.catalog.public import ticket_types
from tix.core.errors import Invalid
from tix.core.inventory.model import basket
from tix.core.orders.model import Order
from tix.core.ports import UnitOfWork

MAX_ANSWER = 1000
YES = {"yes", "y", "true", "1"}
NO = {"no", "n", "false", "0"}
EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")

# What a buyer gave: (ticket number from 1, or None; the question's key; the answer)
GivenAnswer = tuple[int | None, str, str]


@dataclass(frozen=True)
class Answer:
    """One answer as stored: `seat` counts from 0 across the order's lines (as tickets'
    seats do), None for a question of the order."""

    seat: int | None
    question: str  # the question's key
    text: str  # the question as it was asked
    value: str


@dataclass(frozen=True)
class Asked:
    """A question put to one ticket (`seat` from 0) or to the order (`seat` None)."""

    seat: int | None
    question: Question
    ticket_type: str = ""  # the ticket's type name; "" for the order

    @property
    def where(self) -> str:
        return "the order" if self.seat is None else f"ticket {self.seat + 1}"


def questions_asked(questions: Sequence[Question], seat_types: Sequence[str]) -> list[Asked]:
    """Every question put to an order whose seats have these ticket type names, in the
    order a buyer is asked them: the order's first, then each ticket's."""
    asked = [Asked(None, q) for q in questions if q.per is QuestionScope.ORDER]
    for seat, type_name in enumerate(seat_types):
        asked += [Asked(seat, q, type_name) for q in questions
                  if q.per is QuestionScope.TICKET and q.asked_of(type_name)]
    return asked


def questions_for(uow: UnitOfWork, items: Sequence[tuple[str, int]]) -> list[Asked]:
    """What a sale of these (ticket type id or reference, quantity) lines asks, seats
    numbered as checkout numbers them (a type named twice is one line). Nothing when a
    type is not found: the sale itself says why."""
    found = ticket_types(uow, [reference for reference, _ in items])
    views = [found.get(reference) for reference, _ in items]
    if not views or any(view is None for view in views):
        return []
    known = [view for view in views if view is not None]
    names = {view.id: view.name for view in known}
    lines = basket([(view.id, quantity)
                    for view, (_, quantity) in zip(known, items, strict=True)])
    return questions_asked(event_questions(uow, known[0].event_id),
                           [names[type_id] for type_id, quantity in lines
                            for _ in range(quantity)])


def check_answers(questions: Sequence[Question], seat_types: Sequence[str],
                  given: Sequence[GivenAnswer]) -> list[Answer]:
    """The answers as stored, or Invalid naming the question: an unknown question, an
    answer that is not one of its choices, a required question left unanswered."""
    by_key = {q.key: q for q in questions}
    asked = questions_asked(questions, seat_types)
    numbered: dict[tuple[int | None, str], str] = {}
    unnumbered: dict[str, str] = {}
    for ticket, key, value in given:
        key = key.strip().lower()
        question = by_key.get(key)
        if question is None:
            known = ", ".join(by_key) or "none"
            raise Invalid(f"{key!r} is not a question of this event (its questions: {known})",
                          field="answers", code="unknown_question", question=key)
        if ticket is None:
            unnumbered[key] = value
            continue
        if question.per is QuestionScope.ORDER:
            raise Invalid(f"{key}: asked once of the order, answer it without a ticket "
                          "number", field="answers", code="invalid_answer", question=key)
        if not 1 <= ticket <= len(seat_types):
            raise Invalid(f"ticket {ticket}: the order has {len(seat_types)} ticket(s)",
                          field="answers", code="invalid_answer", question=key)
        if not question.asked_of(seat_types[ticket - 1]):
            raise Invalid(f"{key}: not asked of ticket {ticket} "
                          f"({seat_types[ticket - 1]})", field="answers",
                          code="invalid_answer", question=key)
        numbered[(ticket - 1, key)] = value
    answers = []
    for put in asked:
        key = put.question.key
        value = numbered.get((put.seat, key), unnumbered.get(key, ""))
        checked = answer_value(put.question, value, put.where)
        if checked:
            answers.append(Answer(put.seat, key, put.question.text, checked))
        elif put.question.required:
            raise Invalid(f"{key} ({put.question.text}) needs an answer for {put.where}",
                          field="answers", code="answer_required", question=key,
                          ticket=0 if put.seat is None else put.seat + 1)
    return answers


def answer_value(question: Question, value: str, where: str = "the order") -> str:
    """An answer as stored ("" for none), or Invalid saying what the question takes."""
    text = " ".join(str(value).split())
    if not text:
        return ""
    key = question.key
    if len(text) > MAX_ANSWER or "\x00" in text:
        raise Invalid(f"{key} ({where}): at most {MAX_ANSWER} characters of text",
                      field="answers", code="invalid_answer", question=key)
    if question.kind is QuestionKind.CHOICE:
        match = next((c for c in question.choices if c.lower() == text.lower()), None)
        if match is None:
            raise Invalid(f"{key} ({where}): {text!r} is not one of "
                          f"{', '.join(question.choices)}", field="answers",
                          code="invalid_answer", question=key)
        return match
    if question.kind is QuestionKind.YES_NO:
        if text.lower() in YES:
            return "yes"
        if text.lower() in NO:
            return "no"
        raise Invalid(f"{key} ({where}): answer yes or no", field="answers",
                      code="invalid_answer", question=key)
    if question.kind is QuestionKind.EMAIL and (len(text) > 254
                                                 or not EMAIL.fullmatch(text)):
        raise Invalid(f"{key} ({where}): {text!r} is not an email address", field="answers",
                      code="invalid_answer", question=key)
    return text


def record_answers(uow: UnitOfWork, order: Order, ticket_types: Mapping[str, TicketTypeView],
                   given: Sequence[GivenAnswer]) -> None:
    """Checkout, after the order is added: its answers checked and stored with it, in the
    caller's transaction (a refusal commits nothing, the sale included)."""
    if not given and not any(t.event_has_questions for t in ticket_types.values()):
        return  # nothing asked, nothing given: no read (every sale passes here)
    questions = event_questions(uow, order.event_id)
    seat_types = [ticket_types[type_id].name for type_id in order.seat_types]
    answers = check_answers(questions, seat_types, given)
    if answers:
        uow.answers.add(order.id, answers)


def answers_of(uow: UnitOfWork, order_id: str) -> list[Answer]:
    """The order's answers, the order's first, then by ticket."""
    return uow.answers.of_order(order_id)


def answers_json(answers: Sequence[Answer]) -> list[dict[str, Any]]:
    """Answers as the faces show them and the GDPR export gives them: `ticket` from 1, or
    None for the order's."""
    return [{"ticket": None if a.seat is None else a.seat + 1, "question": a.question,
             "text": a.text, "answer": a.value} for a in answers]


def export_section(uow: UnitOfWork, user_id: str) -> list[dict[str, Any]]:
    """The answers given in the user's orders, for their GDPR export."""
    return [{"order_id": order_id, **shown}
            for order_id, answers in uow.answers.of_user(user_id).items()
            for shown in answers_json(answers)]


def erase_answers(message: AccountErased, uow: UnitOfWork) -> None:
    """AccountErased: the answers given in the person's orders go, with the person."""
    uow.answers.erase_of_user(message.user_id)
