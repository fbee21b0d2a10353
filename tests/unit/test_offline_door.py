"""The offline door's core (issue 21): checking codes against a pack, the hash-chained
scan log, and merging devices' logs in any order to the same outcome."""

from __future__ import annotations

import random
import uuid
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from tix.adapters.signing import Ed25519Signer
from tix.core.tickets.door import CheckinList, ScanKind
from tix.core.tickets.door_pack import (
    PackTicketSource,
    Revocation,
    from_document,
    make_pack,
    to_document,
)
from tix.core.tickets.model import make_payload
from tix.core.tickets.offline import OfflineDoor, merge, stale_revocations
from tix.core.tickets.scan_log import DamagedLog, chained, from_line, read_lines, to_line, union

EVENT = "11111111-1111-4111-8111-111111111111"
START = datetime(2026, 12, 1, 19, 0, tzinfo=UTC)
SIGNER = Ed25519Signer(Ed25519PrivateKey.generate())


def a_pack(count: int = 20, *, revoked: int = 0, made_at: datetime = START):
    ids = [str(uuid.UUID(int=i + 1, version=4)) for i in range(count)]
    tickets = [PackTicketSource(
        id=t, number=f"E12-{i + 1:06d}", ticket_type_id="vip" if i % 5 == 0 else "ga",
        holder=f"Holder {i}", revocation=Revocation(t, "voided", "the ticket was voided "
                                                    "(its order was cancelled)", made_at)
        if i < revoked else None) for i, t in enumerate(ids)]
    pack = make_pack(event_id=EVENT, event_number=12, event_name="Nils Frahm live",
                     timezone="Europe/Berlin", made_at=made_at,
                     lists=[CheckinList(EVENT, "vip", frozenset({"vip"}))],
                     ticket_types={"vip": "VIP", "ga": "Standing"}, tickets=tickets,
                     scans=[], seal=lambda ticket_id, holder: f"sealed:{holder}")
    payloads = [make_payload(t, 12, SIGNER) for t in ids]
    return pack, payloads


def test_a_pack_reads_back_as_it_was_written():
    pack, _ = a_pack(revoked=2)
    again = from_document(to_document(pack))
    assert to_document(again) == to_document(pack)
    assert again.last_revocation_at == START and len(again.revoked) == 2


def test_offline_refuses_forged_revoked_other_event_and_wrong_list_codes():
    pack, payloads = a_pack(revoked=1)
    door = OfflineDoor(pack, SIGNER, device="gate-a", clerk="Clara")
    now = START + timedelta(hours=1)
    assert door.scan(payloads[0], now).refusal.code == "voided"
    forged = payloads[1][:-4] + ("AAAA" if not payloads[1].endswith("AAAA") else "BBBB")
    assert door.scan(forged, now).refusal.code == "forged"
    other = make_payload(str(uuid.uuid4()), 13, SIGNER)
    assert door.scan(other, now).refusal.code == "wrong_event"
    unknown = make_payload(str(uuid.uuid4()), 12, SIGNER)
    assert door.scan(unknown, now).refusal.code == "unknown_ticket"
    assert door.scan(payloads[1], now).admitted
    again = door.scan(payloads[1], now + timedelta(minutes=2))
    assert again.refusal.code == "already_in"
    assert again.refusal.message == "already checked in at 21:00 CET by Clara"
    assert again.scan.kind is ScanKind.REFUSE
    vip_door = OfflineDoor(pack, SIGNER, device="gate-v", list_name="vip")
    refused = vip_door.scan(payloads[2], now)
    assert (refused.refusal.code, refused.refusal.message) == (
        "wrong_list", "vip door admits VIP only")
    assert vip_door.scan(payloads[5], now).admitted  # E12-000006 is a VIP ticket


def test_a_log_altered_cut_short_or_reordered_is_detected():
    pack, payloads = a_pack()
    door = OfflineDoor(pack, SIGNER, device="gate-a")
    records, last = [], None
    for i, payload in enumerate(payloads[:5]):
        last = chained(last, door.scan(payload, START + timedelta(minutes=i)).scan)
        records.append(last)
    lines = [to_line(r) for r in records]
    assert read_lines(lines) == records
    with pytest.raises(DamagedLog):  # a record altered: its hash no longer holds
        from_line(lines[2].replace("gate-a", "gate-b"))
    with pytest.raises(DamagedLog):  # a record removed from the middle
        read_lines(lines[:2] + lines[3:])
    with pytest.raises(DamagedLog):  # two swapped
        read_lines([lines[1], lines[0], *lines[2:]])
    with pytest.raises(DamagedLog):  # a record rewritten with a hash of its own
        forged = replace(records[2].scan, ticket_id=records[3].scan.ticket_id)
        read_lines([*lines[:2], to_line(chained(records[0], forged)), *lines[3:]])
    with pytest.raises(DamagedLog):  # a chain rewritten whole without the door's key
        rewritten, last = [], None
        for record in records:
            last = chained(last, record.scan, b"another key")
            rewritten.append(to_line(last))
        read_lines(rewritten, b"the door's key")
    with pytest.raises(DamagedLog):  # two copies that disagree: a fork
        other = chained(records[2], replace(records[3].scan, id=str(uuid.uuid4())))
        union(records, [*records[:3], other])


def five_devices_apart(seed: int = 7):
    """Five gates scanning overlapping tickets while apart: each admits once itself."""
    pack, payloads = a_pack(40, revoked=2)
    rng = random.Random(seed)
    logs = []
    for gate in "abcde":
        door = OfflineDoor(pack, SIGNER, device=f"gate-{gate}", clerk=gate)
        last, log = None, []
        for minute in range(60):
            payload = rng.choice(payloads)
            kind = ScanKind.EXIT if rng.random() < 0.1 else ScanKind.ADMIT
            verdict = door.scan(payload, START + timedelta(minutes=minute,
                                                           seconds=rng.randrange(60)),
                                kind=kind)
            last = chained(last, verdict.scan)
            log.append(last)
        logs.append(log)
    return pack, logs


def test_five_devices_merged_in_any_order_give_one_outcome():
    pack, logs = five_devices_apart()
    numbers = {t.id: t.number for t in pack.tickets}
    reference = merge(*[[r.scan for r in log] for log in logs], numbers=numbers)
    assert reference.conflicts, "overlapping gates apart must give conflicts"
    expected = ([(c.number, c.first.id, c.second.id) for c in reference.conflicts],
                dict(reference.states))
    rng = random.Random(1)
    for _ in range(30):
        shuffled = [log[:] for log in logs]
        rng.shuffle(shuffled)
        for log in shuffled:
            rng.shuffle(log)
        repeated = shuffled + rng.sample(shuffled, 3)  # some logs twice
        # nested: merge two, then merge the result with the rest
        inner = merge(*[[r.scan for r in log] for log in repeated[:2]])
        outcome = merge(inner.scans, *[[r.scan for r in log] for log in repeated[2:]],
                        numbers=numbers)
        assert ([(c.number, c.first.id, c.second.id) for c in outcome.conflicts],
                dict(outcome.states)) == expected
        assert len(outcome.scans) == sum(len(log) for log in logs)  # none lost, none twice
    # the chains union the same way whatever the order of the copies
    assert union(*logs) == union(*reversed(logs), logs[0][:10])
    first = reference.conflicts[0]
    assert first.describe("Europe/Berlin").startswith(f"{first.number} entered at gate-")
    for conflict in reference.conflicts:  # the first admission stands
        assert reference.states[conflict.ticket_id].admission.id == min(
            (s for s in reference.scans if s.ticket_id == conflict.ticket_id
             and s.kind is ScanKind.ADMIT), key=lambda s: (s.at, s.device, s.id)).id


def test_a_pack_older_than_a_revocation_known_elsewhere_is_flagged():
    old, payloads = a_pack(10)
    new, _ = a_pack(10, revoked=1, made_at=START + timedelta(hours=1))
    assert new.supersedes(old) and not old.supersedes(new)
    assert old.stale_against(new.last_revocation_at + timedelta(minutes=1))
    refused = OfflineDoor(new, SIGNER, device="gate-b").scan(payloads[0], START)
    assert refused.refusal.code == "voided"
    assert stale_revocations(old, [refused.scan]) == ["E12-000001"]
    assert stale_revocations(new, [refused.scan]) == []
