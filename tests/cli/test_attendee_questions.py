"""Questions per attendee through the CLI, on SQLite and PostgreSQL: answers given with
--answer and --answers-file, refused when missing or not a choice (exit 2, nothing sold),
shown by tix order show, stored encrypted, exported and erased with the person."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import text

from tests.catalog_support import an_event, on_team
from tests.support import PASSWORD, database_bytes, logged_in
from tix.core.principal import Role

QUESTIONS = [
    {"key": "diet", "text": "Dietary needs?", "kind": "choice",
     "choices": ["none", "vegetarian", "vegan"], "required": True},
    {"key": "company", "text": "Company (for the invoice)", "per": "order"},
    {"key": "email", "text": "Attendee's email", "kind": "email", "types": ["Seated"]},
]
SECRET_COMPANY = "Quillfeather Lumberworks"
SECRET_EMAIL = "marguerite.quillfeather@example.com"


@pytest.fixture
def event(tix):
    """The event's number, its questions asked; Clara the clerk logged in."""
    event_id = an_event(tix.runtime, questions=QUESTIONS)
    number = tix("event", "show", event_id, "--json").json()["number"]
    logged_in(tix.runtime, "clara@example.com", role=Role.CLERK, name="Clara Clerk")
    on_team(tix.runtime, event_id, "clara@example.com")
    assert tix.login("clara@example.com", PASSWORD).exit_code == 0
    return number


def left(tix, number):
    shown = tix("event", "show", number, "--json").json()
    return [t["available"] for t in shown["ticket_types"]]


def test_answers_per_ticket_and_per_order_are_sold_with_the_order(tix, event, tmp_path):
    before = left(tix, event)
    sold = tix("buy", "--item", f"{event}-T1:1", "--item", f"{event}-T2:1", "--pay", "cash",
               "--answer", "diet=vegan", "--answer", "2:diet=None",
               "--answer", f"company={SECRET_COMPANY}",
               "--answer", f"2:email={SECRET_EMAIL}", "--json")
    assert sold.exit_code == 0, sold.stderr
    order = sold.json()
    assert order["answers"] == [
        {"ticket": None, "question": "company", "text": "Company (for the invoice)",
         "answer": SECRET_COMPANY},
        {"ticket": 1, "question": "diet", "text": "Dietary needs?", "answer": "vegan"},
        {"ticket": 2, "question": "diet", "text": "Dietary needs?", "answer": "none"},
        {"ticket": 2, "question": "email", "text": "Attendee's email",
         "answer": SECRET_EMAIL}]
    assert [a - b for a, b in zip(before, left(tix, event), strict=True)] == [1, 1]
    shown = tix("order", "show", order["number"], "--json")
    assert shown.exit_code == 0 and shown.json()["answers"] == order["answers"]
    assert shown.json()["lines"] == order["lines"]  # the order's keys are all still there
    human = tix("order", "show", order["number"])
    assert f"order: Company (for the invoice) {SECRET_COMPANY}" in human.stdout
    assert "ticket 2: Dietary needs? none" in human.stdout

    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps({"diet": "vegetarian", "company": "ACME"}))
    from_file = tix("buy", f"{event}-T1", "--pay", "cash", "--answers-file", str(answers),
                    "--answer", "diet=vegan", "--json")  # --answer after the file wins
    assert from_file.exit_code == 0, from_file.stderr
    assert [(a["question"], a["answer"]) for a in from_file.json()["answers"]] == [
        ("company", "ACME"), ("diet", "vegan")]


def test_a_missing_or_bad_answer_is_exit_2_naming_the_question_and_sells_nothing(tix, event,
                                                                                 tmp_path):
    before = left(tix, event)
    missing = tix("buy", f"{event}-T1", "--quantity", "2", "--pay", "cash",
                  "--answer", "1:diet=vegan", "--json")
    assert missing.exit_code == 2
    assert "diet (Dietary needs?) needs an answer for ticket 2" in missing.stderr
    bad = tix("buy", f"{event}-T1", "--pay", "cash", "--answer", "diet=paleo")
    assert bad.exit_code == 2
    assert "--answer: diet (ticket 1): 'paleo' is not one of none, vegetarian, vegan" \
        in bad.stderr
    unknown = tix("buy", f"{event}-T1", "--pay", "cash", "--answer", "diet=none",
                  "--answer", "shoe=42")
    assert unknown.exit_code == 2 and "'shoe' is not a question of this event" in unknown.stderr
    assert tix("buy", f"{event}-T1", "--pay", "cash", "--answer", "diet").exit_code == 2
    assert tix("buy", f"{event}-T1", "--pay", "cash", "--answer", "x:diet=none").exit_code == 2
    not_json = tmp_path / "answers.json"
    not_json.write_text("diet: vegan")
    refused = tix("buy", f"{event}-T1", "--pay", "cash", "--answers-file", str(not_json))
    assert refused.exit_code == 2 and "--answers-file" in refused.stderr
    hold = tix("hold", f"{event}-T2", "--json").json()["id"]
    unpaid = tix("checkout", hold, "--pay", "cash", "--answer", f"email={SECRET_EMAIL}")
    assert unpaid.exit_code == 2 and "--answer: diet (Dietary needs?) needs an answer for " \
        "ticket 1" in unpaid.stderr
    assert left(tix, event) == [before[0], before[1] - 1]  # the hold alone
    paid = tix("checkout", hold, "--pay", "cash", "--answer", "diet=none",
               "--answer", f"email={SECRET_EMAIL}", "--json")
    assert paid.exit_code == 0, paid.stderr
    assert [a["question"] for a in paid.json()["answers"]] == ["diet", "email"]


def test_on_a_terminal_the_missing_answers_are_asked(tix, event, monkeypatch):
    monkeypatch.setattr("tix.cli.answers.interactive", lambda as_json: not as_json)
    sold = tix("buy", f"{event}-T2", "--pay", "cash", "--answer", "company=ACME",
               input="paleo\nvegan\nnot-an-address\nann@example.com\n")
    assert sold.exit_code == 0, sold.stderr
    assert "Ticket 1 (Seated): Dietary needs? [none/vegetarian/vegan]" in sold.stderr
    assert "'paleo' is not one of" in sold.stderr  # asked again
    number = sold.stdout.split()[0]
    shown = tix("order", "show", number, "--json").json()
    assert [(a["question"], a["answer"]) for a in shown["answers"]] == [
        ("company", "ACME"), ("diet", "vegan"), ("email", "ann@example.com")]
    # --json never asks: the missing required answer refuses the sale
    assert tix("buy", f"{event}-T2", "--pay", "cash", "--json").exit_code == 2


def test_answers_are_encrypted_at_rest_exported_and_erased_with_the_person(tix, event,
                                                                          database):
    logged_in(tix.runtime, "marguerite@example.com", role=Role.CLERK, name="Marguerite Q")
    on_team(tix.runtime, event, "marguerite@example.com")
    assert tix.login("marguerite@example.com", PASSWORD).exit_code == 0
    # a clerk's cash sale is a walk-in's: --email makes the clerk her own buyer, to export
    sold = tix("buy", f"{event}-T2", "--pay", "cash", "--email", "marguerite@example.com",
               "--answer", "diet=vegan",
               "--answer", f"company={SECRET_COMPANY}", "--answer", f"1:email={SECRET_EMAIL}",
               "--json")
    assert sold.exit_code == 0, sold.stderr
    order_id = sold.json()["id"]
    stored = database_bytes(database)
    assert SECRET_COMPANY.encode() not in stored and SECRET_EMAIL.encode() not in stored
    runtime = tix.runtime
    buyer = runtime.accounts.login(email="marguerite@example.com",
                                   password=PASSWORD).principal
    exported = runtime.privacy.export(buyer.user_id)
    assert exported["answers"] == [
        {"order_id": order_id, "ticket": None, "question": "company",
         "text": "Company (for the invoice)", "answer": SECRET_COMPANY},
        {"order_id": order_id, "ticket": 1, "question": "diet", "text": "Dietary needs?",
         "answer": "vegan"},
        {"order_id": order_id, "ticket": 1, "question": "email", "text": "Attendee's email",
         "answer": SECRET_EMAIL}]
    with runtime.uow(readonly=True) as uow:
        sealed = [value.encode() for value in uow.session.execute(text(
            "SELECT value FROM order_answers WHERE order_id = :id"), {"id": order_id}).scalars()]
    assert len(sealed) == 3 and all(value in stored for value in sealed)
    assert tix("account", "delete", "--yes").exit_code == 0
    assert tix("daemon", "--once").exit_code == 0  # the erasure's handlers
    left_at_rest = database_bytes(database)
    assert not [value for value in sealed if value in left_at_rest]  # not even sealed
    with runtime.uow(readonly=True) as uow:
        assert uow.answers.of_order(order_id) == []
        assert uow.answers.of_user(buyer.user_id) == {}


def test_the_event_lists_what_it_asks_at_checkout(tix, event):
    shown = tix("event", "show", event, "--json")
    assert shown.exit_code == 0, shown.stderr
    assert [q["key"] for q in shown.json()["questions"]] == ["diet", "company", "email"]
    assert shown.json()["questions"][0]["choices"] == ["none", "vegetarian", "vegan"]
    human = " ".join(tix("event", "show", event).stdout.split())  # wrapped to the terminal
    assert "Asked at checkout:" in human
    assert "diet — Dietary needs? (choice, per ticket, required): none / vegetarian / vegan" \
        in human
    assert "company — Company (for the invoice) (text, once per order)" in human
