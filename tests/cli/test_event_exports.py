"""tix event attendees and tix event orders on SQLite and PostgreSQL: the files parsed
back, the JSON's shape, the audit entry each export ends with, personal data for the
organizer only, refusals (a customer 3, an unknown event 4, a bad format 2, no file left),
and the streaming reader across many batches."""

from __future__ import annotations

import csv
import io
import json

import pytest

from tests.catalog_support import an_event, on_every_team
from tests.support import PASSWORD, logged_in, user
from tix.core.principal import Role

QUESTIONS = [
    {"key": "diet", "text": "Dietary needs?", "kind": "choice",
     "choices": ["none", "vegetarian", "vegan"], "required": True},
    {"key": "company", "text": "Company", "per": "order"},
]


BUYER = "ann.able@example.com"


@pytest.fixture
def sold(tix):
    """E1 with questions; Clara the clerk sold two orders (3 tickets) — the first to a
    walk-in who gave her address, the second to one who gave none — and checked one
    ticket in; Olga the organizer is logged in. Returns the two orders as sold."""
    an_event(tix.runtime, questions=QUESTIONS)
    clerk = logged_in(tix.runtime, "clara@example.com", role=Role.CLERK, name="Clara Clerk")
    on_every_team(tix.runtime, clerk)  # sells for the events there are
    assert tix.login("clara@example.com", PASSWORD).exit_code == 0
    first = tix("buy", "--item", "E1-T1:2", "--pay", "cash", "--email", BUYER,
                "--holder", "Ann Able",
                "--holder", "Bo Baker", "--answer", "1:diet=vegan", "--answer", "2:diet=none",
                "--answer", "company=Quillfeather", "--json")
    assert first.exit_code == 0, first.stderr
    second = tix("buy", "--item", "E1-T2:1", "--pay", "cash", "--holder", "Cy Cole",
                 "--answer", "diet=vegetarian", "--json")
    assert second.exit_code == 0, second.stderr
    admitted = tix("checkin", first.json()["tickets"][0]["qr_payload"])
    assert admitted.exit_code == 0, admitted.stderr
    assert tix.login("olga@example.com", PASSWORD).exit_code == 0
    return first.json(), second.json()


def audit_entries(tix, action):
    return [e for e in tix.runtime.audit.newest(50) if e.action == action]


def test_the_attendee_list_as_csv_has_every_ticket_its_answers_and_check_in(tix, sold,
                                                                            tmp_path):
    first, second = sold
    target = tmp_path / "attendees.csv"
    done = tix("event", "attendees", "E1", "--format", "csv", "-o", str(target))
    assert done.exit_code == 0, done.stderr
    assert done.stdout == ""
    assert "Exported 3 attendee(s) of E1" in done.stderr
    assert target.stat().st_mode & 0o777 == 0o600
    rows = list(csv.DictReader(io.StringIO(target.read_text())))
    assert [r["ticket"] for r in rows] == ["E1-000001", "E1-000002", "E1-000003"]
    assert [(r["holder"], r["ticket_type"], r["order"], r["diet"], r["company"])
            for r in rows] == [
        ("Ann Able", "Standing", first["number"], "vegan", "Quillfeather"),
        ("Bo Baker", "Standing", first["number"], "none", "Quillfeather"),
        ("Cy Cole", "Seated", second["number"], "vegetarian", "")]
    assert [r["buyer_email"] for r in rows] == [BUYER, BUYER, ""]  # none given: blank
    assert [r["status"] for r in rows] == ["USED", "VALID", "VALID"]
    assert rows[0]["checked_in_at"] and rows[0]["first_scan_at"]
    assert rows[1]["checked_in_at"] == rows[1]["first_scan_at"] == ""
    [entry] = audit_entries(tix, "event.attendees_exported")
    assert entry.actor == "olga@example.com"
    assert entry.subject.startswith("event:")
    assert entry.details == {"event": "E1", "format": "csv", "personal_data": "yes",
                             "rows": "3", "complete": "yes"}


def test_the_attendee_list_as_json_goes_to_stdout_as_one_array(tix, sold):
    done = tix("event", "attendees", "E1", "--format", "json")
    assert done.exit_code == 0, done.stderr
    rows = json.loads(done.stdout)
    assert len(rows) == 3
    assert set(rows[0]) == {"ticket", "ticket_type", "status", "holder", "buyer_email",
                            "order", "checked_in", "checked_in_at", "first_scan_at",
                            "answers"}
    assert rows[0]["checked_in"] is True and rows[1]["checked_in"] is False
    assert rows[0]["answers"] == {"company": "Quillfeather", "diet": "vegan"}
    assert rows[2]["answers"] == {"diet": "vegetarian"}


def test_a_clerk_gets_the_list_without_personal_data(tix, sold):
    assert tix.login("clara@example.com", PASSWORD).exit_code == 0
    done = tix("event", "attendees", "E1", "--format", "json")
    assert done.exit_code == 0, done.stderr
    rows = json.loads(done.stdout)
    assert [r["ticket"] for r in rows] == ["E1-000001", "E1-000002", "E1-000003"]
    assert {(r["holder"], r["buyer_email"]) for r in rows} == {("", "")}
    assert all(r["answers"] == {} for r in rows)
    assert "Names, addresses and answers are left out" in done.stderr
    [entry] = audit_entries(tix, "event.attendees_exported")
    assert entry.details["personal_data"] == "no" and entry.details["rows"] == "3"


def test_exports_are_refused_in_one_line_with_their_exit_codes(tix, sold, tmp_path):
    (tmp_path / "out").mkdir()
    target = tmp_path / "out" / "out.csv"
    bad = tix("event", "attendees", "E1", "--format", "xlsx", "-o", str(target))
    assert bad.exit_code == 2 and "--format 'xlsx': choose csv or json" in bad.stderr
    assert len(bad.stderr.strip().splitlines()) == 1
    assert tix("event", "orders", "E1", "--format", "xml").exit_code == 2
    missing = tix("event", "attendees", "E99", "-o", str(target))
    assert missing.exit_code == 4, missing.stderr
    assert tix("event", "orders", "E99").exit_code == 4
    user(tix.runtime, "carl@example.com", name="Carl Customer")
    assert tix.login("carl@example.com", PASSWORD).exit_code == 0
    for what in ("attendees", "orders"):
        refused = tix("event", what, "E1", "-o", str(target))
        assert refused.exit_code == 3, refused.stderr
    assert tix("event", "sales", "E1").exit_code == 3
    assert list((tmp_path / "out").iterdir()) == []  # no file, not even a partial one
    assert audit_entries(tix, "event.attendees_exported") == []
    assert audit_entries(tix, "event.orders_exported") == []


def test_a_clerk_may_not_export_the_orders(tix, sold):
    assert tix.login("clara@example.com", PASSWORD).exit_code == 0
    assert tix("event", "orders", "E1").exit_code == 3


def test_the_orders_as_csv_and_json_say_lines_amounts_and_refunds(tix, sold, tmp_path):
    first, second = sold
    assert tix("order", "cancel", second["number"], "--yes").exit_code == 0
    target = tmp_path / "orders.csv"
    done = tix("event", "orders", "E1", "-o", str(target))
    assert done.exit_code == 0, done.stderr
    rows = {r["number"]: r for r in csv.DictReader(io.StringIO(target.read_text()))}
    assert set(rows) == {first["number"], second["number"]}
    one = rows[first["number"]]
    assert (one["status"], one["buyer_email"], one["lines"], one["quantity"], one["total"],
            one["refunded"], one["tender"], one["currency"]) == (
        "COMPLETED", BUYER, "2 x Standing at 45.00", "2", "90.00", "0.00",
        "cash", "EUR")
    cancelled = rows[second["number"]]
    assert cancelled["status"] == "CANCELLED"
    assert cancelled["refunded"] == "65.50"
    as_json = json.loads(tix("event", "orders", "E1", "--format", "json").stdout)
    by_number = {o["number"]: o for o in as_json}
    assert by_number[first["number"]]["lines"] == [
        {"ticket_type": "Standing", "quantity": 2, "unit_price": 4500, "amount": 9000}]
    assert by_number[second["number"]]["refunded"] == 6550  # minor units, as in order_json
    assert [e.details["format"] for e in audit_entries(tix, "event.orders_exported")] == [
        "json", "csv"]


def test_the_streaming_reader_reads_many_batches_in_one_transaction(tix, sold,
                                                                    monkeypatch):
    """Batches of 1 on both databases: the cursor stays open while each batch's orders,
    buyers and answers are read beside it."""
    import tix.core.orders.order_export as order_export
    import tix.core.tickets.attendees as attendees

    monkeypatch.setattr(attendees, "BATCH", 1)
    monkeypatch.setattr(order_export, "BATCH", 1)
    rows = json.loads(tix("event", "attendees", "E1", "--format", "json").stdout)
    assert [(r["holder"], r["answers"].get("diet")) for r in rows] == [
        ("Ann Able", "vegan"), ("Bo Baker", "none"), ("Cy Cole", "vegetarian")]
    orders = json.loads(tix("event", "orders", "E1", "--format", "json").stdout)
    assert sorted(o["buyer_email"] for o in orders) == ["", BUYER]


def test_an_export_stopped_half_way_is_audited_with_the_rows_that_left(tix, sold):
    olga = tix.runtime.accounts.login(email="olga@example.com", password=PASSWORD).principal
    export = tix.runtime.tickets.attendee_lists.attendees(olga, "E1", purpose="csv")
    assert next(export.rows).ticket == "E1-000001"
    export.rows.close()  # type: ignore[attr-defined]
    [entry] = audit_entries(tix, "event.attendees_exported")
    assert (entry.details["rows"], entry.details["complete"]) == ("1", "no")


def test_an_event_without_tickets_exports_a_header_or_an_empty_array(tix, tmp_path):
    an_event(tix.runtime)
    assert tix.login("olga@example.com", PASSWORD).exit_code == 0
    target = tmp_path / "none.csv"
    assert tix("event", "attendees", "E1", "-o", str(target)).exit_code == 0
    assert target.read_text().strip() == ("ticket,ticket_type,status,holder,buyer_email,"
                                          "order,checked_in_at,first_scan_at")
    assert json.loads(tix("event", "orders", "E1", "--format", "json").stdout) == []


def test_a_write_that_fails_half_way_leaves_no_file_and_says_so(tix, sold, tmp_path,
                                                                monkeypatch):
    import tix.json_shapes as shapes

    real, written = shapes.attendee_json, []

    def full_disk(attendee):
        if written:
            raise OSError(28, "No space left on device")
        written.append(attendee)
        return real(attendee)

    monkeypatch.setattr(shapes, "attendee_json", full_disk)
    (tmp_path / "out").mkdir()
    target = tmp_path / "out" / "a.json"
    failed = tix("event", "attendees", "E1", "--format", "json", "-o", str(target))
    assert failed.exit_code == 2
    assert failed.stderr.strip() == f"tix: cannot write {target}: No space left on device"
    assert list((tmp_path / "out").iterdir()) == []
    [entry] = audit_entries(tix, "event.attendees_exported")
    assert entry.details["complete"] == "no"


def test_a_progress_bar_is_drawn_on_a_terminal_when_the_rows_go_elsewhere(monkeypatch,
                                                                         tmp_path):
    import sys

    from tix.export_files import _progress

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.setattr(sys, "stderr", Terminal())
    monkeypatch.setattr(sys, "stdout", Terminal())
    with _progress("E1 attendees", 10, tmp_path / "a.csv") as advance:
        advance(10)
    assert "E1 attendees" in sys.stderr.getvalue()
    monkeypatch.setattr(sys, "stderr", Terminal())
    with _progress("E1 attendees", 10, None) as advance:  # the rows on this terminal
        advance(10)
    assert sys.stderr.getvalue() == ""


def test_a_holder_named_like_a_formula_is_quoted_in_csv_and_kept_in_json(tix, tmp_path):
    an_event(tix.runtime)
    clerk = logged_in(tix.runtime, "clara@example.com", role=Role.CLERK, name="Clara Clerk")
    on_every_team(tix.runtime, clerk)  # sells for the events there are
    assert tix.login("clara@example.com", PASSWORD).exit_code == 0
    formula = '=HYPERLINK("https://evil.example","x")'
    assert tix("buy", "E1-T1", "--quantity", "1", "--pay", "cash", "--holder",
               formula).exit_code == 0
    assert tix.login("olga@example.com", PASSWORD).exit_code == 0
    [row] = list(csv.DictReader(io.StringIO(tix("event", "attendees", "E1").stdout)))
    assert row["holder"] == "'" + formula
    [shown] = json.loads(tix("event", "attendees", "E1", "--format", "json").stdout)
    assert shown["holder"] == formula
