"""Files a user hands tix, nested thousands of levels deep: bad input, never an internal error.

Python's JSON, YAML and TOML parsers recurse once per level: 5000 `[` were a
RecursionError (exit 1) wherever tix read such a file.
"""

import base64
import json

import pytest
import yaml
from typer.testing import CliRunner

from tests.catalog_support import local, organizer
from tests.support import PASSWORD
from tix.cli.app import app

OPTIONS = ("--name", "Nils Frahm live", "--venue", "Funkhaus", "--city", "Berlin",
           "--timezone", "Europe/Berlin", "--ticket-type", "Standing:45.00:500:4")
DEEP = {  # form: (suffix, text, the line the refusal names)
    "json array": ("json", "[" * 5000 + "]" * 5000, 1),
    "json object": ("json", '{"a":' * 5000 + "1" + "}" * 5000, 1),
    "json on lines": ("json", '{"name": "x",\n "a":\n' + "[\n" * 5000 + "]" * 5000 + "}", 66),
    "yaml flow": ("yaml", "[" * 5000 + "]" * 5000, 1),
    "yaml flow mapping": ("yaml", "{a: " * 5000 + "1" + "}" * 5000, 1),
    "yaml blocks": ("yaml", "".join("  " * i + "a:\n" for i in range(3000)), 65),
}


def as_organizer(tix) -> None:
    organizer(tix.runtime)
    tix.login("olga@example.com", PASSWORD)


def times(tix) -> tuple[str, str]:
    from datetime import timedelta

    start = tix.runtime.clock.now() + timedelta(days=40)
    return local(start), local(start + timedelta(hours=3))


@pytest.mark.parametrize("form", list(DEEP))
def test_a_deeply_nested_event_file_is_bad_input_naming_the_file(tix, tmp_path, form):
    as_organizer(tix)
    start, end = times(tix)
    event_id = tix("event", "create", *OPTIONS, "--starts", start, "--ends", end).stdout.strip()
    suffix, text, line = DEEP[form]
    deep = tmp_path / f"deep.{suffix}"
    deep.write_text(text)
    for command in (["event", "create"], ["event", "update", event_id]):
        outcome = tix(*command, "--file", str(deep))
        assert (outcome.exit_code, outcome.stdout) == (2, ""), outcome.stderr
        assert outcome.stderr == f"tix: {deep}:{line}: nested too deeply (at most 64 levels)\n"
    assert [e["name"] for e in tix("event", "list", "--json").json()] == ["Nils Frahm live"]


@pytest.mark.parametrize("suffix", ["json", "yaml"])
def test_nesting_up_to_the_limit_and_brackets_in_text_are_read_as_usual(tix, tmp_path,
                                                                         suffix):
    as_organizer(tix)
    start, end = times(tix)
    brackets = '[{"' * 1500 + "\\"  # quoted, a backslash last: text, not nesting
    event = {"name": "Brackets", "venue": "V", "city": "C", "timezone": "UTC",
             "currency": "EUR", "starts": start, "ends": end, "description": brackets,
             "ticket_types": [{"name": "GA", "price": "1.00", "quantity": 5}]}
    good = tmp_path / f"good.{suffix}"
    good.write_text(json.dumps(event) if suffix == "json" else yaml.safe_dump(event))
    created = tix("event", "create", "--file", str(good), "--json")
    assert created.exit_code == 0, created.stderr
    assert created.json()["description"] == brackets
    nested: object = 1
    for _ in range(63):  # with the event's own mapping: 64 levels
        nested = [nested]
    limit = tmp_path / f"limit.{suffix}"
    limit.write_text(json.dumps({"extra": nested}))  # JSON is YAML too
    outcome = tix("event", "create", "--file", str(limit))
    assert outcome.exit_code == 2 and "extra: unknown field" in outcome.stderr, outcome.stderr


def test_a_deeply_nested_stored_login_asks_to_log_in_again(tix_sqlite):
    tix = tix_sqlite
    path = tix.runtime.settings.credentials_path
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("[" * 5000 + "]" * 5000)
    outcome = tix("order", "list")
    assert outcome.exit_code == 3, outcome.stderr
    assert outcome.stderr == f"tix: the stored login in {path} is unreadable: log in again\n"


def test_a_stored_token_nested_deeply_is_not_a_valid_login(tix_sqlite):
    tix = tix_sqlite

    def part(text: str) -> str:
        return base64.urlsafe_b64encode(text.encode()).rstrip(b"=").decode()

    path = tix.runtime.settings.credentials_path
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"token": f"{part('[' * 5000)}.{part('{}')}.{part('x')}",
                                "email": "ann@example.com", "expires_at": "2099-01-01"}))
    outcome = tix("order", "list")
    assert outcome.exit_code == 3, outcome.stderr
    assert outcome.stderr == "tix: your stored login is not valid; log in again\n"


@pytest.mark.parametrize("value", ["[" * 5000 + "]" * 5000, "{a = " * 5000 + "1" + "}" * 5000],
                         ids=["arrays", "inline tables"])
def test_a_deeply_nested_config_file_is_bad_input_naming_the_file(tmp_path, value):
    config = tmp_path / "config" / "config.toml"
    config.parent.mkdir()
    config.write_text(f"hold_minutes = {value}\n")
    outcome = CliRunner().invoke(app, ["event", "list"], env={
        "TIX_CONFIG_DIR": str(config.parent), "TIX_DATA_DIR": str(tmp_path / "data")})
    assert outcome.exit_code == 2, outcome.stderr
    assert outcome.stderr == f"tix: cannot read {config}: nested too deeply\n"
