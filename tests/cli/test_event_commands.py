"""tix event …: the commands organizers script and everyone searches with."""

from tests.catalog_support import local, organizer
from tests.support import PASSWORD, logged_in
from tix.core.principal import Role

OPTIONS = ("--name", "Nils Frahm live", "--venue", "Funkhaus", "--city", "Berlin",
           "--category", "music", "--timezone", "Europe/Berlin", "--currency", "EUR",
           "--ticket-type", "Standing:45.00:500:4", "--ticket-type", "Seated:65.50:200")


def times(tix) -> tuple[str, ...]:
    from datetime import timedelta

    start = tix.runtime.clock.now() + timedelta(days=40)
    return "--starts", local(start), "--ends", local(start + timedelta(hours=3))


def as_organizer(tix):
    organizer(tix.runtime)
    tix.login("olga@example.com", PASSWORD)


def test_create_prints_the_number_and_with_json_the_event(tix):
    as_organizer(tix)
    plain = tix("event", "create", *OPTIONS, *times(tix))
    assert plain.exit_code == 0, plain.stderr
    event_id = plain.stdout.strip()
    assert event_id == "E1"  # what people type; the UUID is in --json
    shown = tix("event", "show", event_id, "--json").json()
    assert set(shown) >= {"id", "name", "starts_at", "ends_at", "timezone", "venue", "city",
                          "category", "status", "ticket_types"}
    assert shown["ticket_types"][0] == {
        "id": shown["ticket_types"][0]["id"], "ref": "E1-T1", "name": "Standing",
        "price": 4500,
        "currency": "EUR", "quantity": 500, "available": 500, "limit": 4,
        "sale_starts_at": None, "sale_ends_at": None, "hidden": False}
    created = tix("event", "create", *OPTIONS, *times(tix), "--json")
    assert created.json()["name"] == "Nils Frahm live" and created.json()["number"] == "E2"


def test_a_file_creates_the_event_and_its_errors_name_field_and_line(tix, tmp_path):
    as_organizer(tix)
    start, end = times(tix)[1], times(tix)[3]
    good = tmp_path / "gig.yaml"
    good.write_text(f"""name: Jazz im Hof
venue: Porgy & Bess
city: Vienna
category: music
timezone: Europe/Vienna
currency: EUR
starts: {start}
ends: {end}
ticket_types:
  - name: GA
    price: "20.00"
    quantity: 80
""")
    assert tix("event", "create", "--file", str(good)).exit_code == 0
    bad = tmp_path / "bad.yaml"
    bad.write_text(good.read_text().replace('price: "20.00"', "price: -3"))
    outcome = tix("event", "create", "--file", str(bad))
    assert outcome.exit_code == 2
    assert outcome.stderr.strip() == (f"tix: {bad}:11: ticket_types[0].price: "
                                      "must be 0 or more")
    broken = tmp_path / "broken.yaml"
    broken.write_text("name: [unclosed\n")
    assert tix("event", "create", "--file", str(broken)).exit_code == 2
    json_file = tmp_path / "gig.json"
    json_file.write_text('{"name": "x",}')
    assert tix("event", "create", "--file", str(json_file)).exit_code == 2
    assert tix("event", "list", "--json").json()[0]["name"] == "Jazz im Hof"


def test_exit_codes_of_the_event_commands(tix):
    logged_in(tix.runtime, "cem@example.com", role=Role.CUSTOMER)
    tix.login("cem@example.com", PASSWORD)
    assert tix("event", "create", *OPTIONS, *times(tix)).exit_code == 3
    assert tix("event", "show", "E404").exit_code == 4
    assert tix("event", "list", "--sort", "size").exit_code == 2
    assert tix("event", "list", "--from", "tomorrow").exit_code == 2
    assert tix("event", "list", "--category", "opera").exit_code == 2
    assert tix("event", "list", "--limit", "0").exit_code == 2
    tix("logout")
    assert tix("event", "create", *OPTIONS, *times(tix)).exit_code == 3
    assert tix("event", "list", "--json").json() == []  # no login needed to search


def test_update_and_cancel_by_the_organizer_only(tix):
    as_organizer(tix)
    event_id = tix("event", "create", *OPTIONS, *times(tix)).stdout.strip()
    moved = tix("event", "update", event_id, "--venue", "Tempodrom", "--json")
    assert moved.exit_code == 0 and moved.json()["venue"] == "Tempodrom"
    logged_in(tix.runtime, "rival@example.com", role=Role.ORGANIZER)
    tix.login("rival@example.com", PASSWORD)
    assert tix("event", "cancel", event_id).exit_code == 3
    tix.login("olga@example.com", PASSWORD)
    assert tix("event", "cancel", event_id, "--reason", "Ill").exit_code == 0
    assert tix("event", "cancel", event_id).exit_code == 5
    assert tix("event", "list", "--all", "--json").json()[0]["status"] == "CANCELLED"


def test_list_suggest_and_show_as_a_person_reads_them(tix):
    as_organizer(tix)
    tix("event", "create", *OPTIONS, *times(tix))
    listing = tix("event", "list", "frahm")
    assert "Nils Frahm live" in listing.stdout
    assert "45.00\u201365.50 EUR" in listing.stdout  # a range, with an en dash
    assert tix("event", "suggest", "nil").stdout.strip() == "Nils Frahm live"
    shown = tix("event", "show", "E1")
    assert "Standing" in shown.stdout and "500 of 500" in shown.stdout
