"""The event file's `questions`: what attendees and buyers are asked at checkout, checked
field by field like the rest of the file (spec.py). Their answers are the orders'."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, TypeVar

from tix.core.catalog.model import Question, QuestionKind, QuestionScope
from tix.core.errors import Invalid

MAX_QUESTIONS = 30
MAX_CHOICES = 50
QUESTION_FIELDS = {"key", "id", "text", "kind", "choices", "required", "per", "types"}
E = TypeVar("E", QuestionKind, QuestionScope)
KEY = re.compile(r"[a-z][a-z0-9_-]{0,39}")


def check_questions(raw: Any, type_names: list[str]) -> tuple[Question, ...]:
    """The questions as declared, each error naming its field (`questions[1].choices`)."""
    if raw is None:
        return ()
    if not isinstance(raw, list):
        raise Invalid("questions: a list of {key, text, kind, required, per}",
                      field="questions")
    if len(raw) > MAX_QUESTIONS:
        raise Invalid(f"questions: at most {MAX_QUESTIONS}", field="questions")
    questions = tuple(_question(item, i, type_names) for i, item in enumerate(raw))
    keys = [q.key for q in questions]
    if len(set(keys)) != len(keys):
        raise Invalid("questions: two questions have the same key", field="questions")
    return questions


def questions_as_spec(questions: tuple[Question, ...]) -> list[dict[str, Any]]:
    """The questions as they would be written in the event file."""
    return [{"key": q.key, "text": q.text, "kind": q.kind.value, "choices": list(q.choices),
             "required": q.required, "per": q.per.value, "types": list(q.types)}
            for q in questions]


def _question(raw: Any, index: int, type_names: list[str]) -> Question:
    where = f"questions[{index}]"
    if not isinstance(raw, Mapping):
        raise Invalid(f"{where}: must be a mapping with key and text", field=where)
    unknown = sorted(set(raw) - QUESTION_FIELDS)
    if unknown:
        raise Invalid(f"{where}.{unknown[0]}: unknown field (known: "
                      f"{', '.join(sorted(QUESTION_FIELDS))})", field=f"{where}.{unknown[0]}")
    key = str(raw.get("key", raw.get("id")) or "").strip().lower()
    if not KEY.fullmatch(key):
        raise Invalid(f"{where}.key: required, a short name of lowercase letters, digits, "
                      "_ or - (e.g. diet)", field=f"{where}.key")
    text = " ".join(str(raw.get("text") or "").split())
    if not text:
        raise Invalid(f"{where}.text: required (what is asked)", field=f"{where}.text")
    if len(text) > 300:
        raise Invalid(f"{where}.text: longer than 300 characters", field=f"{where}.text")
    kind = _choice_of(QuestionKind, raw.get("kind", "text"), f"{where}.kind")
    per = _choice_of(QuestionScope, raw.get("per", "ticket"), f"{where}.per")
    choices = _texts(raw.get("choices"), f"{where}.choices")
    if kind is QuestionKind.CHOICE and len(choices) < 2:
        raise Invalid(f"{where}.choices: a choice question needs at least two choices",
                      field=f"{where}.choices")
    if kind is not QuestionKind.CHOICE and choices:
        raise Invalid(f"{where}.choices: only a choice question has choices",
                      field=f"{where}.choices")
    if len(choices) > MAX_CHOICES or len({c.lower() for c in choices}) != len(choices):
        raise Invalid(f"{where}.choices: at most {MAX_CHOICES}, each once",
                      field=f"{where}.choices")
    if kind is QuestionKind.EMAIL and per is not QuestionScope.TICKET:
        raise Invalid(f"{where}.per: an email question is asked per ticket (the buyer's "
                      "address is known)", field=f"{where}.per")
    required = raw.get("required", False)
    if not isinstance(required, bool):
        raise Invalid(f"{where}.required: true or false", field=f"{where}.required")
    types = _texts(raw.get("types"), f"{where}.types")
    known = {name.lower(): name for name in type_names}
    for name in types:
        if name.lower() not in known:
            raise Invalid(f"{where}.types: {name!r} is not a ticket type of this event "
                          f"(known: {', '.join(type_names)})", field=f"{where}.types")
    if types and per is QuestionScope.ORDER:
        raise Invalid(f"{where}.types: only a question asked per ticket names ticket types",
                      field=f"{where}.types")
    return Question(key=key, text=text, kind=kind, choices=choices, required=required,
                    per=per, types=tuple(known[t.lower()] for t in types))


def _choice_of(kind: type[E], value: Any, name: str) -> E:
    try:
        return kind(str(value).strip().lower())
    except ValueError:
        known = ", ".join(k.value for k in kind)
        raise Invalid(f"{name}: {value!r} is not one of {known}", field=name) from None


def _texts(value: Any, name: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str | int) for v in value):
        raise Invalid(f"{name}: a list of names", field=name)
    texts = tuple(" ".join(str(v).split()) for v in value)
    if any(not t or len(t) > 100 for t in texts):
        raise Invalid(f"{name}: each between 1 and 100 characters", field=name)
    return texts
