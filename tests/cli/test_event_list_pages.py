"""tix event list: pages and the hint on stderr, --currency and --city."""

from tests.catalog_support import an_event, organizer


def gigs(runtime, count, **overrides):
    owner = organizer(runtime)
    for n in range(count):
        an_event(runtime, owner, days=n + 1, name=f"Gig {n + 1:02}", **overrides)


def test_a_partial_list_says_how_many_there_are_on_stderr_only(tix):
    gigs(tix.runtime, 31)
    listed = tix("event", "list")
    assert listed.exit_code == 0
    assert listed.stderr.strip() == "20 of 31 — --limit/--page for more"
    assert "Gig 20" in listed.stdout and "of 31" not in listed.stdout
    as_json = tix("event", "list", "--json")
    assert [e["name"] for e in as_json.json()][-1] == "Gig 20"  # still a list, stdout alone
    assert as_json.stderr.strip() == "20 of 31 — --limit/--page for more"
    everything = tix("event", "list", "--limit", "40", "--json")
    assert len(everything.json()) == 31 and everything.stderr == ""


def test_pages_are_numbered_from_one_with_limit_as_their_size(tix):
    gigs(tix.runtime, 31)
    second = tix("event", "list", "--page", "2", "--json")
    assert [e["name"] for e in second.json()] == [f"Gig {n}" for n in range(21, 32)]
    assert second.stderr.strip() == "21-31 of 31 (page 2 of 2)"
    middle = tix("event", "list", "--page", "2", "--limit", "10")
    assert middle.stderr.strip() == "11-20 of 31 (page 2 of 4) — --page 3 for more"
    past = tix("event", "list", "--page", "9", "--json")
    assert (past.exit_code, past.json()) == (0, [])
    assert past.stderr.strip() == "nothing on page 9: 31 in all, 2 page(s) of 20"


def test_bad_pages_are_refused_with_exit_2(tix):
    assert tix("event", "list", "--page", "0").exit_code == 2
    assert tix("event", "list", "--page", "two").exit_code == 2
    both = tix("event", "list", "--page", "2", "--offset", "5")
    assert (both.exit_code, both.stderr.strip()) == (
        2, "tix: --page and --offset: give one of them")


def test_currency_scopes_the_list_and_reads_prices_in_it(tix):
    owner = organizer(tix.runtime)
    an_event(tix.runtime, owner, name="Rock in Shibuya", currency="JPY", ticket_types=[
        {"name": "GA", "price": "2500", "quantity": 10}])
    an_event(tix.runtime, owner, name="String quartet", days=31, ticket_types=[
        {"name": "GA", "price": "30", "quantity": 10}])

    def listed(*options):
        return [e["name"] for e in tix("event", "list", *options, "--json").json()]

    assert listed("--max-price", "30") == ["String quartet"]  # 2,500 JPY is more than 30
    assert listed("--currency", "jpy") == ["Rock in Shibuya"]
    assert listed("--currency", "JPY", "--max-price", "3000") == ["Rock in Shibuya"]
    assert listed("--min-price", "2500") == ["Rock in Shibuya"]
    for options, message in [
            (("--currency", "XYZ"), "tix: --currency: unknown code 'XYZ'"),
            (("--currency", "JPY", "--max-price", "12.5"),
             "tix: --max-price: JPY has 0 decimal place(s), not 12.5"),
            (("--max-price", "cheap"), "tix: --max-price: 'cheap' is not an amount"),
            (("--min-price", "-5"), "tix: --min-price: '-5' is not an amount from 0")]:
        refused = tix("event", "list", *options)
        assert refused.exit_code == 2 and refused.stderr.startswith(message), refused.stderr


def test_the_help_says_how_prices_and_pages_read(tix):
    text = " ".join(tix("event", "list", "--help").stdout.split())
    assert "30 is 30 JPY for a yen event" in text
    assert "cheapest first within each currency" in text
    assert "--page" in text and "--limit/--page for more" in text


def test_city_ignores_accents(tix):
    an_event(tix.runtime, name="Tonhalle", city="Zürich")
    assert [e["city"] for e in tix("event", "list", "--city", "Zurich", "--json").json()] == [
        "Zürich"]
