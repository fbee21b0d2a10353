"""The README's event file, as written, through `tix event create --file`; shared
capacity, drafts and `tix event publish` through the CLI, on both databases."""

import re
from pathlib import Path

from tests.catalog_support import on_team
from tests.cli.test_event_commands import OPTIONS, as_organizer, times
from tests.support import PASSWORD, logged_in
from tix.core.principal import Role

README = Path(__file__).resolve().parents[2] / "README.md"


def readme_example() -> str:
    text = README.read_text(encoding="utf-8")
    found = re.search(r"<!-- event-file-example -->\n```yaml\n(.*?)```", text, re.DOTALL)
    assert found, "the README's event file example is marked <!-- event-file-example -->"
    return found.group(1)


def test_the_readme_event_file_is_accepted_as_written(tix, tmp_path):
    as_organizer(tix)
    example = tmp_path / "festival.yaml"
    example.write_text(readme_example(), encoding="utf-8")
    created = tix("event", "create", "--file", str(example), "--json")
    assert created.exit_code == 0, created.stderr
    event = created.json()
    assert event["status"] == "DRAFT"
    left = {t["name"]: (t["available"], t["hidden"]) for t in event["ticket_types"]}
    assert left == {"Standing": (500, False), "Standing + drink": (300, False),
                    "Seated": (300, False), "Crew": (40, True)}  # hidden: its organizer's
    published = tix("event", "publish", event["number"], "--json")
    assert published.exit_code == 0, published.stderr
    public = tix.runtime.catalog.show(event["id"], with_hidden=True)  # nobody else's
    assert [t.name for t in public.ticket_types] == ["Standing", "Standing + drink", "Seated"]
    assert published.json()["status"] == "SCHEDULED"
    shown = tix("event", "show", event["number"], "--json").json()
    assert shown["quotas"] == [
        {"name": None, "quantity": 800, "available": 800,
         "ticket_types": ["Standing", "Standing + drink", "Seated"]},  # Crew is hidden
        {"name": "Standing", "quantity": 500, "available": 500,
         "ticket_types": ["Standing", "Standing + drink"]}]
    human = tix("event", "show", event["number"]).stdout
    assert "Capacity: 800 of 800 left" in human
    assert "Standing area (Standing, Standing + drink): 500 of 500 left" in human
    number = event["number"]
    too_many = tix("hold", "--item", f"{number}-T1:6", "--item", f"{number}-T2:5")
    assert too_many.exit_code == 5 and "at most 10 ticket(s) per order" in too_many.stderr


def test_a_draft_is_shown_to_its_organizer_refused_to_buyers_and_published_once(tix):
    as_organizer(tix)
    created = tix("event", "create", *OPTIONS, *times(tix), "--draft")
    assert created.exit_code == 0, created.stderr
    number = created.stdout.strip()
    shown = tix("event", "show", number)
    assert shown.exit_code == 0 and "[draft]" in shown.stdout
    assert tix("event", "list", "--json").json() == []
    logged_in(tix.runtime, "bea@example.com", name="Bea Buyer")
    tix.login("bea@example.com", PASSWORD)
    hidden = tix("event", "show", number)
    assert hidden.exit_code == 4, hidden.stderr
    refused = tix("hold", f"{number}-T1", "--quantity", "1")
    assert refused.exit_code in (4, 5), refused.stderr  # not found to her, or not on sale
    tix.login("olga@example.com", PASSWORD)
    done = tix("event", "publish", number)
    assert done.exit_code == 0 and f"Published {number}" in done.stderr, done.stderr
    again = tix("event", "publish", number, "--json")
    assert again.exit_code == 5 and "already published" in again.stderr
    assert [e["number"] for e in tix("event", "list", "--json").json()] == [number]


def test_capacity_caps_every_type_and_a_full_quota_refuses_in_the_buyers_words(tix):
    as_organizer(tix)
    created = tix("event", "create", *OPTIONS, *times(tix), "--capacity", "3", "--json")
    assert created.exit_code == 0, created.stderr
    event = created.json()
    assert [t["available"] for t in event["ticket_types"]] == [3, 3]
    clerk = logged_in(tix.runtime, "clara@example.com", role=Role.CLERK, name="Clara Clerk")
    assert clerk
    on_team(tix.runtime, event["number"], "clara@example.com")
    tix.login("clara@example.com", PASSWORD)
    sold = tix("buy", f"{event['number']}-T2", "--quantity", "3", "--pay", "cash", "--json")
    assert sold.exit_code == 0, sold.stderr
    refused = tix("buy", f"{event['number']}-T1", "--quantity", "1", "--pay", "cash")
    assert refused.exit_code == 5
    assert "sold out: the event is full" in refused.stderr
    shown = tix("event", "show", event["number"], "--json").json()
    assert [t["available"] for t in shown["ticket_types"]] == [0, 0]
    assert shown["quotas"] == [{"name": None, "quantity": 3, "available": 0,
                                "ticket_types": ["Standing", "Seated"]}]
    assert "Capacity: full" in tix("event", "show", event["number"]).stdout
    tix.login("olga@example.com", PASSWORD)
    lowered = tix("event", "update", event["number"], "--capacity", "2")
    assert lowered.exit_code == 5 and "below what is already sold" in lowered.stderr
    raised = tix("event", "update", event["number"], "--capacity", "10", "--json")
    assert raised.exit_code == 0, raised.stderr
    assert [t["available"] for t in raised.json()["ticket_types"]] == [7, 7]


def test_an_event_in_test_mode_sells_but_its_sales_report_leaves_the_orders_out(tix):
    as_organizer(tix)
    created = tix("event", "create", *OPTIONS, *times(tix), "--test-mode", "--json")
    assert created.exit_code == 0, created.stderr
    number = created.json()["number"]
    logged_in(tix.runtime, "clara@example.com", role=Role.CLERK, name="Clara Clerk")
    on_team(tix.runtime, number, "clara@example.com")
    tix.login("clara@example.com", PASSWORD)
    sold = tix("buy", f"{number}-T1", "--quantity", "2", "--pay", "cash", "--json")
    assert sold.exit_code == 0, sold.stderr
    assert sold.json()["test"] is True  # the order is marked
    assert tix("order", "show", sold.json()["number"], "--json").json()["test"] is True
    said = tix("buy", f"{number}-T1", "--pay", "cash")
    assert said.exit_code == 0 and "A test order" in said.stderr
    tix.login("olga@example.com", PASSWORD)
    report = tix("event", "sales", number, "--json")
    assert report.exit_code == 0, report.stderr
    assert [line["sold"] for line in report.json()["lines"]] == [0, 0]
    assert report.json()["revenue"] == 0
