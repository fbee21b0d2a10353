"""The door with no network (issue 21): a door pack, check-in against it with the
database unreachable, a device's hash-chained scan log, and syncing logs by file, over
the LAN and with the server."""

from __future__ import annotations

import json
import re
import socket
from pathlib import Path

import pytest

from tests.catalog_support import an_event, organizer
from tests.cli.conftest import Tix
from tests.support import PASSWORD, deliver, logged_in
from tix.cli.state import CliState
from tix.core.principal import Role


def sold(tix: Tix, quantity: int = 3, holders: tuple[str, ...] = ("Ann", "Bob", "Cem")
         ) -> list[dict]:
    """Clara the clerk sells `quantity` Standing tickets of Olga's E1; their tickets."""
    logged_in(tix.runtime, "clara@example.com", role=Role.CLERK, name="Clara Clerk")
    assert tix.login("clara@example.com", PASSWORD).exit_code == 0
    args = ["buy", "E1-T1", "--quantity", str(quantity), "--pay", "cash", "--tendered",
            str(45 * quantity), "--json"]
    for holder in holders[:quantity]:
        args += ["--holder", holder]
    bought = tix(*args)
    assert bought.exit_code == 0, bought.stderr
    deliver(tix.runtime)
    return tix("order", "show", bought.json()["number"], "--json").json()["tickets"]


@pytest.fixture
def door(tix: Tix, tmp_path: Path):
    """An event with three tickets sold, and its pack."""
    an_event(tix.runtime, organizer(tix.runtime))
    tickets = sold(tix)
    made = tix("door", "pack", "E1", "-o", str(tmp_path / "e1.door"), "--json")
    assert made.exit_code == 0, made.stderr
    return tickets, tmp_path / "e1.door", made.json()


def offline_tix(tix: Tix, tmp_path: Path) -> Tix:
    """A CLI on a door device: the same data dir (its door key) but a database on a closed
    port; any attempt to connect anywhere fails the test."""
    settings = tix.runtime.settings.__class__(**{
        **vars(tix.runtime.settings), "database_url": "postgresql+psycopg://x@127.0.0.1:9/x"})
    device = Tix(tix.runtime)
    runner = device._runner

    def call(*args: str, input: str | None = None):
        from tests.cli.conftest import Outcome
        from tix.cli.app import app

        state = CliState(settings=settings)
        result = runner.invoke(app, list(args), obj=state, input=input,
                               catch_exceptions=False)
        assert state._runtime is None, "the offline door built a runtime"
        return Outcome(result.exit_code, result.stdout, result.stderr)

    device.__call__ = call  # type: ignore[method-assign]
    return device


@pytest.fixture
def no_network(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("the offline door opened a connection")

    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)


def test_a_pack_seals_holders_and_says_what_it_holds(door):
    tickets, path, made = door
    assert made["tickets"] == 3 and made["revoked"] == 0 and made["lists"] == ["main"]
    text = path.read_text()
    assert "Ann" not in text and "Bob" not in text  # sealed, and the body is base64 too
    import base64
    body = base64.b64decode(json.loads(text)["body"]).decode()
    assert tickets[0]["number"] in body and "Ann" not in body
    key = Path(made["key"])
    assert key.stat().st_mode & 0o777 == 0o600


def test_offline_admit_once_per_device_with_the_database_unreachable(tix, door, tmp_path,
                                                                       no_network):
    tickets, path, _ = door
    device = offline_tix(tix, tmp_path)
    first = device.__call__("checkin", "--offline", str(path), tickets[0]["qr_payload"],
                            "--device", "gate-a", "--json")
    assert first.exit_code == 0, first.stderr
    assert first.json()["admitted"] is True and first.json()["holder"] == "Ann"
    again = device.__call__("checkin", "--offline", str(path), tickets[0]["qr_payload"],
                            "--device", "gate-a", "--json")
    assert again.exit_code == 5
    assert again.json()["code"] == "already_in"
    assert re.fullmatch(r"tix: REFUSED: already checked in at \d\d:\d\d UTC by gate-a\n",
                        again.stderr)
    log = path.with_name("gate-a.scans").read_text().splitlines()
    assert [json.loads(line)["scan"]["kind"] for line in log] == ["ADMIT", "REFUSE"]

