"""tix event sales --by type|day (paid, refunded, fees, net; test orders left out) and
tix event message (through the mail log, once per person, a second run sends nothing),
on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.catalog_support import an_event, on_every_team, organizer
from tests.support import PASSWORD, deliver, logged_in, user
from tix.core.principal import Role


def clerk(tix, email: str) -> None:
    clerk = logged_in(tix.runtime, email, role=Role.CLERK, name=email.split("@")[0].title())
    on_every_team(tix.runtime, clerk)  # sells for the events there are
    assert tix.login(email, PASSWORD).exit_code == 0


def sell(tix, *args: str) -> dict:
    """A cash sale by the signed-in clerk to themselves (a walk-in with their address)."""
    me = tix("whoami", "--json").json()["email"]
    sold = tix("buy", *args, "--pay", "cash", "--email", me, "--json")
    assert sold.exit_code == 0, sold.stderr
    return sold.json()


@pytest.fixture
def sales_days(tix, clock):
    """E1 (in UTC): 2 Standing sold today, 1 Seated sold and refunded in full tomorrow,
    1 Standing the day after; E2 in test mode sold one. Olga logged in."""
    olga = organizer(tix.runtime)
    an_event(tix.runtime, olga)
    an_event(tix.runtime, olga, name="Rehearsal", test_mode=True)
    clerk(tix, "clara@example.com")
    sell(tix, "--item", "E1-T1:2")
    clock.advance(timedelta(days=1))
    assert tix.login("clara@example.com", PASSWORD).exit_code == 0  # sessions ran out
    seated = sell(tix, "--item", "E1-T2:1")
    assert tix("order", "cancel", seated["number"], "--yes").exit_code == 0
    clock.advance(timedelta(days=1))
    assert tix.login("clara@example.com", PASSWORD).exit_code == 0
    sell(tix, "--item", "E1-T1:1")
    sell(tix, "--item", "E2-T1:1")
    assert tix.login("olga@example.com", PASSWORD).exit_code == 0


def test_sales_per_type_say_paid_refunded_fees_and_net(tix, sales_days):
    report = tix("event", "sales", "E1", "--json")
    assert report.exit_code == 0, report.stderr
    data = report.json()
    lines = {line["name"]: line for line in data["lines"]}
    assert {k: lines["Standing"][k] for k in ("sold", "revenue", "gross", "refunded",
                                              "fees", "net")} == {
        "sold": 3, "revenue": 13500, "gross": 13500, "refunded": 0, "fees": 0, "net": 13500}
    assert {k: lines["Seated"][k] for k in ("sold", "revenue", "gross", "refunded",
                                            "net")} == {
        "sold": 0, "revenue": 0, "gross": 6550, "refunded": 6550, "net": 0}
    assert (data["gross"], data["refunded"], data["fees"], data["net"]) == (
        20050, 6550, 0, 13500)
    human = tix("event", "sales", "E1")
    assert human.exit_code == 0
    assert "fees" in human.stdout and "refunded" in human.stdout
    assert "net 135.00 EUR" in human.stdout
    test_mode = tix("event", "sales", "E2", "--json").json()
    assert (test_mode["gross"], test_mode["revenue"], test_mode["days"]) == (0, 0, [])


def test_sales_per_day_count_each_day_in_the_events_zone(tix, sales_days):
    days = tix("event", "sales", "E1", "--json").json()["days"]
    assert [(d["day"], d["orders"], d["tickets"], d["gross"], d["refunded"], d["net"])
            for d in days] == [
        ("2026-11-24", 1, 2, 9000, 0, 9000),
        ("2026-11-25", 1, 1, 6550, 6550, 0),
        ("2026-11-26", 1, 1, 4500, 0, 4500)]
    human = tix("event", "sales", "E1", "--by", "day")
    assert human.exit_code == 0
    assert "2026-11-25" in human.stdout and "tickets" in human.stdout
    bad = tix("event", "sales", "E1", "--by", "week")
    assert bad.exit_code == 2 and "--by 'week': choose type or day" in bad.stderr


def test_the_sales_tables_fit_80_columns(tix, sales_days, monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    for by in ("type", "day"):
        lines = tix("event", "sales", "E1", "--by", by).stdout.splitlines()
        assert max(map(len, lines)) <= 80, "\n".join(lines)
        assert any("65.50" in line for line in lines), lines


def test_sales_are_refused_to_a_customer_and_unknown_for_no_event(tix, sales_days):
    assert tix("event", "sales", "E99").exit_code == 4
    user(tix.runtime, "carl@example.com", name="Carl")
    assert tix.login("carl@example.com", PASSWORD).exit_code == 0
    assert tix("event", "sales", "E1").exit_code == 3


@pytest.fixture
def holders(tix, tmp_path):
    """E1: Clara sold herself 3 Standing in two orders, Cleo 1 Seated; Olga logged in.
    Returns the body file."""
    an_event(tix.runtime)
    clerk(tix, "clara@example.com")
    sell(tix, "--item", "E1-T1:2")
    sell(tix, "--item", "E1-T1:1")
    clerk(tix, "cleo@example.com")
    sell(tix, "--item", "E1-T2:1")
    assert tix.login("olga@example.com", PASSWORD).exit_code == 0
    body = tmp_path / "body.txt"
    body.write_text("Doors open at 19:00.\n\nBring <your> ticket.\n")
    return body


def test_a_message_reaches_every_holder_once_through_the_mail_log(tix, holders, mailer):
    done = tix("event", "message", "E1", "--subject", "Doors at 19:00", "--body-file",
               str(holders), "--json")
    assert done.exit_code == 0, done.stderr
    assert {k: done.json()[k] for k in ("recipients", "already", "queued", "dry_run")} == {
        "recipients": 2, "already": 0, "queued": 2, "dry_run": False}
    assert mailer.sent == []  # queued: the daemon sends
    deliver(tix.runtime)
    mails = [m for m in mailer.sent if m.subject == "Doors at 19:00"]
    assert sorted(m.to for m in mails) == ["clara@example.com", "cleo@example.com"]
    assert "Doors open at 19:00." in mails[0].text and "Nils Frahm live" in mails[0].text
    assert "&lt;your&gt;" in (mails[0].html or "")  # the body is text, not markup
    [entry] = [e for e in tix.runtime.audit.newest(20) if e.action == "event.holders_messaged"]
    assert entry.actor == "olga@example.com"
    assert (entry.details["recipients"], entry.details["queued"]) == ("2", "2")


def test_the_same_message_run_again_sends_nobody_a_second_copy(tix, holders, mailer):
    args = ("event", "message", "E1", "--subject", "Doors at 19:00", "--body-file",
            str(holders))
    assert tix(*args).exit_code == 0
    again = tix(*args, "--json")
    assert again.exit_code == 0, again.stderr
    assert (again.json()["queued"], again.json()["already"]) == (0, 2)
    dry = tix(*args, "--dry-run")
    assert dry.exit_code == 0 and "Would mail 0 of 2 holder(s) (2 had it already)" in \
        dry.stderr
    deliver(tix.runtime)
    assert len([m for m in mailer.sent if m.subject == "Doors at 19:00"]) == 2
    named = tix(*args, "--id", "second-call", "--json")
    assert named.json()["queued"] == 2  # another message id: another message


def test_a_dry_run_counts_and_a_type_narrows_to_its_holders(tix, holders, mailer):
    dry = tix("event", "message", "E1", "--subject", "Hi", "--body-file", str(holders),
              "--dry-run", "--json")
    assert dry.exit_code == 0, dry.stderr
    assert (dry.json()["recipients"], dry.json()["queued"]) == (2, 0)
    deliver(tix.runtime)
    assert [m for m in mailer.sent if m.subject == "Hi"] == []
    seated = tix("event", "message", "E1", "--type", "E1-T2", "--subject", "Seated",
                 "--body-file", str(holders), "--json")
    assert seated.json()["recipients"] == 1
    deliver(tix.runtime)
    assert [m.to for m in mailer.sent if m.subject == "Seated"] == ["cleo@example.com"]


def test_a_message_is_refused_with_its_exit_codes(tix, holders, tmp_path):
    args = ("--subject", "Hi", "--body-file", str(holders))
    assert tix("event", "message", "E99", *args).exit_code == 4
    assert tix("event", "message", "E1", "--type", "E1-T9", *args).exit_code == 4
    empty = tmp_path / "empty.txt"
    empty.write_text("  \n")
    blank = tix("event", "message", "E1", "--subject", "Hi", "--body-file", str(empty))
    assert blank.exit_code == 2 and "body is empty" in blank.stderr
    missing = tix("event", "message", "E1", "--subject", "Hi", "--body-file",
                  str(tmp_path / "nope.txt"))
    assert missing.exit_code == 2 and len(missing.stderr.strip().splitlines()) == 1
    assert tix("event", "message", "E1", "--subject", " ", "--body-file",
               str(holders)).exit_code == 2
    assert tix.login("clara@example.com", PASSWORD).exit_code == 0
    assert tix("event", "message", "E1", *args).exit_code == 3
