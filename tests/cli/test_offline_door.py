"""The door with no network (issue 21): a door pack, check-in against it with the
database unreachable, a device's hash-chained scan log, and syncing logs by file, over
the LAN and with the server."""

from __future__ import annotations

import json
import re
import socket
import threading
from datetime import timedelta
from pathlib import Path

import pytest

from tests.catalog_support import an_event, on_team, organizer
from tests.cli.conftest import Tix
from tests.support import PASSWORD, deliver, logged_in
from tix.cli.state import CliState
from tix.core.principal import Role


def sold(tix: Tix, quantity: int = 3, holders: tuple[str, ...] = ("Ann", "Bob", "Cem")
         ) -> list[dict]:
    """Clara the clerk sells `quantity` Standing tickets of Olga's E1; their tickets."""
    logged_in(tix.runtime, "clara@example.com", role=Role.CLERK, name="Clara Clerk")
    on_team(tix.runtime, "E1", "clara@example.com")
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
    import base64
    body = json.loads(base64.b64decode(json.loads(text)["body"]))
    assert [t[1] for t in body["tickets"]] == [t["number"] for t in tickets]
    sealed = [t[3] for t in body["tickets"]]  # nonce + ciphertext + tag, base64
    assert all(len(base64.b64decode(s)) == 12 + 3 + 16 for s in sealed)
    assert not {"Ann", "Bob", "Cem"} & set(sealed)
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



def test_a_forged_code_and_a_tampered_pack_are_refused_offline(tix, door, tmp_path):
    tickets, path, _ = door
    device = offline_tix(tix, tmp_path)
    forged = device.__call__("checkin", "--offline", str(path), "TIX1.0.12.AAAA", "--json")
    assert forged.exit_code == 5 and forged.json()["code"] == "forged"
    document = json.loads(path.read_text())
    import base64
    body = json.loads(base64.b64decode(document["body"]))
    body["revoked"] = []
    document["body"] = base64.b64encode(json.dumps(body).encode()).decode()
    tampered = tmp_path / "tampered.door"
    tampered.write_text(json.dumps(document))
    refused = device.__call__("checkin", "--offline", str(tampered), tickets[0]["qr_payload"])
    assert refused.exit_code == 2
    assert refused.stderr == f"tix: {tampered} was altered: its signature does not hold\n"


def test_a_revoked_ticket_is_refused_offline_and_a_stale_pack_is_flagged(tix, door,
                                                                         tmp_path):
    tickets, old_pack, _ = door
    # the order is cancelled after the first pack was made: a fresh pack knows it
    tix.runtime.clock.advance(timedelta(minutes=5))
    orders = tix("order", "list", "--json").json()
    cancelled = tix("order", "cancel", orders[0]["number"], "--yes")
    assert cancelled.exit_code == 0, cancelled.stderr
    fresh = tmp_path / "fresh.door"
    assert tix("door", "pack", "E1", "-o", str(fresh)).exit_code == 0
    device = offline_tix(tix, tmp_path)
    refused = device.__call__("checkin", "--offline", str(fresh), tickets[1]["qr_payload"],
                              "--device", "gate-b", "--json")
    assert refused.exit_code == 5 and refused.json()["code"] == "voided"
    # gate A still runs on the old pack: it admits, and merging gate B's log flags it
    admitted = device.__call__("checkin", "--offline", str(old_pack),
                               tickets[1]["qr_payload"], "--device", "gate-a")
    assert admitted.exit_code == 0
    merged = device.__call__("door", "sync", str(old_pack), "--device", "gate-a", "--with",
                             str(tmp_path / "gate-b.scans"), "--json")
    assert merged.exit_code == 0, merged.stderr
    assert merged.json()["new_records"] == 1
    assert merged.json()["stale"] == [
        f"gate-a's pack does not know that {tickets[1]['number']} was revoked (another door "
        "refused it)"]
    assert "STALE:" in merged.stderr
    # with the server: the old pack is older than the last revocation it knows
    with_server = tix("door", "sync", str(old_pack), "--device", "gate-a", "--server",
                      "--json")
    assert with_server.exit_code == 0, with_server.stderr
    assert any("before the last revocation the server knows" in s
               for s in with_server.json()["stale"])
    assert with_server.json()["fresh_pack"] == str(old_pack)


def test_a_newer_pack_supersedes_an_older_one_on_a_device(tix, door, tmp_path):
    tickets, old_pack, _ = door
    tix.runtime.clock.advance(timedelta(minutes=5))
    newer = tmp_path / "newer.door"
    assert tix("door", "pack", "E1", "-o", str(newer)).exit_code == 0
    device = offline_tix(tix, tmp_path)
    assert device.__call__("checkin", "--offline", str(newer), tickets[0]["qr_payload"],
                           "--device", "gate-a").exit_code == 0
    back = device.__call__("checkin", "--offline", str(old_pack), tickets[1]["qr_payload"],
                           "--device", "gate-a")
    assert back.exit_code == 2
    assert "is older than the pack gate-a last ran on" in back.stderr
    assert device.__call__("checkin", "--offline", str(old_pack), tickets[1]["qr_payload"],
                           "--device", "gate-b").exit_code == 0  # another device, its own


def test_a_pack_of_one_list_admits_its_types_only(tix, door, tmp_path):
    tickets, _, _ = door
    olga = Tix(tix.runtime)
    assert olga.login("olga@example.com", PASSWORD).exit_code == 0
    added = olga("door", "list", "add", "E1", "VIP", "--type", "E1-T2")
    assert added.exit_code == 0, added.stderr
    vip = tmp_path / "vip.door"
    made = tix("door", "pack", "E1", "--list", "VIP", "-o", str(vip), "--json")
    assert made.exit_code == 0 and made.json()["lists"] == ["VIP"]
    device = offline_tix(tix, tmp_path)
    refused = device.__call__("checkin", "--offline", str(vip), tickets[0]["qr_payload"],
                              "--list", "VIP", "--json")
    assert refused.exit_code == 5
    assert refused.json()["code"] == "wrong_list"
    assert refused.json()["reason"] == "VIP door admits Seated only"
    unknown = device.__call__("checkin", "--offline", str(vip), tickets[0]["qr_payload"])
    assert unknown.exit_code == 4  # the pack has no main list
    no_list = tix("door", "pack", "E1", "--list", "Balcony", "-o", str(tmp_path / "x"))
    assert no_list.exit_code == 4


def test_logs_merged_by_file_and_with_the_server_mixed_with_online_scans(tix, door,
                                                                         tmp_path):
    tickets, path, _ = door
    device = offline_tix(tix, tmp_path)
    for gate in ("gate-a", "gate-b"):  # both admit Ann while apart
        assert device.__call__("checkin", "--offline", str(path), tickets[0]["qr_payload"],
                               "--device", gate).exit_code == 0
    assert device.__call__("checkin", "--offline", str(path), tickets[1]["qr_payload"],
                           "--device", "gate-b").exit_code == 0
    assert tix("checkin", tickets[2]["qr_payload"]).exit_code == 0  # Cem, online
    once = device.__call__("door", "sync", str(path), "--device", "gate-a", "--with",
                           str(tmp_path / "gate-b.scans"), "--json")
    assert once.exit_code == 0, once.stderr
    [conflict] = once.json()["conflicts"]
    assert conflict["number"] == tickets[0]["number"]
    assert conflict["message"].startswith(f"{tickets[0]['number']} entered at gate-a ")
    again = device.__call__("door", "sync", str(path), "--device", "gate-a", "--with",
                            str(tmp_path / "gate-b.scans"), "--json")
    assert again.json()["new_records"] == 0 and again.json()["scans"] == once.json()["scans"]
    # gate A's pack was made before Cem came in online: it lets him in again
    assert device.__call__("checkin", "--offline", str(path), tickets[2]["qr_payload"],
                           "--device", "gate-a").exit_code == 0
    up = tix("door", "sync", str(path), "--device", "gate-a", "--server", "--json")
    assert up.exit_code == 0, up.stderr
    assert up.json()["uploaded"] == {"new": 4, "known": 0}
    assert up.json()["admitted"] == 3  # Ann and Bob offline, Cem online (in the fresh pack)
    assert [(c["number"], c["first"]["device"], c["second"]["device"])
            for c in up.json()["conflicts"]] == [
        (tickets[0]["number"], "gate-a", "gate-b"),  # in the order of the second entry
        (tickets[2]["number"], "server", "gate-a")]  # the online admission came first
    assert tix("door", "sync", str(path), "--device", "gate-a", "--server", "--json"
               ).json()["uploaded"] == {"new": 0, "known": 4}
    shown = tix("ticket", "show", tickets[2]["number"], "--json").json()
    assert shown["status"] == "USED" and shown["checked_in_at"].startswith("2026-11-24T12:00")
    # the server now refuses Bob online: gate B admitted him while apart
    online = tix("checkin", tickets[1]["qr_payload"], "--json")
    assert online.exit_code == 5 and online.json()["code"] == "already_in"


def test_two_devices_exchange_logs_over_the_lan(tix, door, tmp_path):
    tickets, path, _ = door
    device = offline_tix(tix, tmp_path)
    assert device.__call__("checkin", "--offline", str(path), tickets[0]["qr_payload"],
                           "--device", "gate-a").exit_code == 0
    assert device.__call__("checkin", "--offline", str(path), tickets[1]["qr_payload"],
                           "--device", "gate-b").exit_code == 0
    from tix.door_device import DeviceDoor, serve_log

    ready = threading.Event()
    port: list[int] = []
    key = Path(tix.runtime.settings.data_dir) / "door.key"
    serving = DeviceDoor(path, key, device="gate-b", list_name="main", clerk="b")

    def run() -> None:
        serve_log(serving, host="127.0.0.1", port=0, once=True,
                  ready=lambda p: (port.append(p), ready.set()))

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    assert ready.wait(5)
    synced = device.__call__("door", "sync", str(path), "--device", "gate-a", "--peer",
                             f"127.0.0.1:{port[0]}", "--json")
    thread.join(5)
    serving.close()
    assert synced.exit_code == 0, synced.stderr
    assert synced.json()["new_records"] == 1 and synced.json()["admitted"] == 2
    gate_b = (tmp_path / "gate-b.scans").read_text().splitlines()
    assert len(gate_b) == 2  # gate B got gate A's record too
    bad = device.__call__("door", "sync", str(path), "--peer", "nowhere")
    assert bad.exit_code == 2
    closed = device.__call__("door", "sync", str(path), "--peer", "127.0.0.1:9")
    assert closed.exit_code == 6


def test_a_truncated_log_is_detected(tix, door, tmp_path):
    tickets, path, _ = door
    device = offline_tix(tix, tmp_path)
    for ticket in tickets:
        device.__call__("checkin", "--offline", str(path), ticket["qr_payload"])
    log = tmp_path / "gate.scans"
    lines = log.read_text().splitlines(keepends=True)
    log.write_text("".join(lines[:-1]))
    cut = device.__call__("checkin", "--offline", str(path), tickets[0]["qr_payload"])
    assert cut.exit_code == 2
    assert "was cut short" in cut.stderr


def test_the_door_commands_have_help(tix):
    for command in (["door", "pack"], ["door", "sync"], ["door", "serve"], ["checkin"]):
        shown = tix(*command, "--help")
        assert shown.exit_code == 0
        assert "--json" in shown.stdout or command[-1] == "serve"


def test_an_admission_is_undone_offline_with_a_reason_and_then_admits_again(tix, door,
                                                                             tmp_path):
    tickets, path, _ = door
    device = offline_tix(tix, tmp_path)
    assert device.__call__("checkin", "--offline", str(path), tickets[0]["qr_payload"]
                           ).exit_code == 0
    blank = device.__call__("door", "undo", str(path), tickets[0]["number"], "--reason", " ")
    assert blank.exit_code == 2
    undone = device.__call__("door", "undo", str(path), tickets[0]["number"], "--reason",
                             "scanned the wrong phone", "--json")
    assert undone.exit_code == 0, undone.stderr
    assert undone.json()["undone"] is True and undone.json()["holder"] == "Ann"
    nothing = device.__call__("door", "undo", str(path), tickets[0]["number"], "--reason",
                              "again", "--json")
    assert nothing.exit_code == 5 and nothing.json()["code"] == "nothing_to_undo"
    assert device.__call__("checkin", "--offline", str(path), tickets[0]["qr_payload"]
                           ).exit_code == 0
    kinds = [json.loads(line)["scan"]["kind"]
             for line in (tmp_path / "gate.scans").read_text().splitlines()]
    assert kinds == ["ADMIT", "UNDO", "REFUSE", "ADMIT"]


def test_bad_files_are_a_clear_line_never_a_traceback(tix, door, tmp_path):
    tickets, path, _ = door
    device = offline_tix(tix, tmp_path)
    a_file = tmp_path / "a-file"
    a_file.write_text("not a directory")
    unwritable = tix("door", "pack", "E1", "-o", str(a_file / "e1.door"))
    assert unwritable.exit_code == 2 and unwritable.stderr.startswith(
        f"tix: cannot write {a_file / 'e1.door'}: ")
    payload = tickets[0]["qr_payload"]
    missing = device.__call__("checkin", "--offline", str(tmp_path / "none.door"), payload)
    assert (missing.exit_code, missing.stderr) == (
        4, f"tix: door pack {tmp_path / 'none.door'} not found\n")
    not_a_pack = device.__call__("checkin", "--offline", str(a_file), payload)
    assert (not_a_pack.exit_code, not_a_pack.stderr) == (
        2, f"tix: {a_file} is not a tix door pack\n")
    no_key = device.__call__("checkin", "--offline", str(path), payload, "--key",
                             str(tmp_path / "none.key"))
    assert no_key.exit_code == 4 and "door key" in no_key.stderr
    no_log = device.__call__("checkin", "--offline", str(path), payload, "--log",
                             str(a_file / "gate.scans"))
    assert no_log.exit_code == 2 and no_log.stderr.startswith("tix: cannot write the scan log")
    junk = tmp_path / "junk.scans"
    junk.write_text("not a log\n")
    not_a_log = device.__call__("door", "sync", str(path), "--with", str(junk))
    assert (not_a_log.exit_code, not_a_log.stderr) == (2, (
        f"tix: {junk}: line 1 of the scan log is not a scan record (cut short or altered)\n"))
    no_device = device.__call__("checkin", "--offline", str(path), payload, "--device", "a/b")
    assert no_device.exit_code == 2
    assert (tmp_path / "gate.scans").read_text() == ""  # nothing was admitted meanwhile
