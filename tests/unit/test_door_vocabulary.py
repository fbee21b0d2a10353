"""The door's shared vocabulary: replaying a ticket's scans and deciding the next one."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from tix.core.tickets.door import (
    CheckinList,
    Scan,
    ScanKind,
    decide,
    main_list,
    ticket_state,
)

T0 = datetime(2026, 12, 2, 19, 14, tzinfo=UTC)
VIP = CheckinList(event_id="e", name="VIP", ticket_type_ids=frozenset({"t-vip"}),
                  reentry=True)


def scan(n: int, kind: ScanKind, minutes: int, device: str = "server", by: str = "u1",
         undoes: str = "") -> Scan:
    return Scan(id=f"s{n}", event_id="e", ticket_id="t", kind=kind,
                at=T0 + timedelta(minutes=minutes), device=device, by=by, undoes=undoes)


def test_a_ticket_never_scanned_is_outside_and_may_enter():
    state = ticket_state([])
    assert (state.inside, state.admissions, state.admission) == (False, 0, None)
    assert decide(main_list("e"), "t-ga", state, ScanKind.ADMIT) is None


def test_inside_refuses_a_second_admission_in_todays_words():
    state = ticket_state([scan(1, ScanKind.ADMIT, 0)])
    refused = decide(main_list("e"), "t-ga", state, ScanKind.ADMIT, zone="Europe/Berlin",
                     name_of={"u1": "Clara"}.__getitem__)
    assert refused is not None
    assert (refused.message, refused.code) == ("already checked in at 20:14 CET by Clara",
                                               "already_in")
    assert refused.detail == {"at": "20:14 CET", "by": "Clara"}


def test_a_list_admits_only_its_types():
    refused = decide(VIP, "t-ga", ticket_state([]), ScanKind.ADMIT,
                     type_names={"t-vip": "VIP"})
    assert refused is not None
    assert (refused.message, refused.code) == ("VIP door admits VIP only", "wrong_list")
    assert decide(VIP, "t-vip", ticket_state([]), ScanKind.ADMIT) is None


def test_reentry_after_an_exit_only_on_a_list_that_allows_it():
    state = ticket_state([scan(1, ScanKind.ADMIT, 0), scan(2, ScanKind.EXIT, 30)])
    assert (state.inside, state.admissions) == (False, 1)
    assert decide(VIP, "t-vip", state, ScanKind.ADMIT) is None
    refused = decide(main_list("e"), "t-vip", state, ScanKind.ADMIT)
    assert refused is not None and refused.code == "no_reentry"
    assert "left at 19:44 UTC" in refused.message
    again = ticket_state([scan(1, ScanKind.ADMIT, 0), scan(2, ScanKind.EXIT, 30),
                          scan(3, ScanKind.ADMIT, 40)])
    assert (again.inside, again.admissions, again.admission.id, again.entered.id) \
        == (True, 2, "s1", "s3")


def test_exit_only_from_inside_and_undo_only_of_an_admission():
    outside = ticket_state([])
    assert decide(main_list("e"), "t", outside, ScanKind.EXIT).code == "not_inside"
    assert decide(main_list("e"), "t", outside, ScanKind.UNDO).code == "nothing_to_undo"
    inside = ticket_state([scan(1, ScanKind.ADMIT, 0)])
    assert decide(main_list("e"), "t", inside, ScanKind.EXIT) is None
    assert decide(main_list("e"), "t", inside, ScanKind.UNDO) is None


def test_an_undo_takes_the_admission_back():
    state = ticket_state([scan(1, ScanKind.ADMIT, 0), scan(2, ScanKind.UNDO, 1)])
    assert (state.inside, state.admissions, state.admission) == (False, 0, None)
    assert decide(main_list("e"), "t", state, ScanKind.ADMIT) is None
    # an undo naming an admission that is no longer the last move changes nothing
    late = ticket_state([scan(1, ScanKind.ADMIT, 0), scan(2, ScanKind.EXIT, 1),
                         scan(3, ScanKind.UNDO, 2, undoes="s1")])
    assert (late.inside, late.admissions) == (False, 1)


def test_two_gates_apart_the_first_admission_stands_in_any_order():
    scans = [scan(1, ScanKind.ADMIT, 2, device="gate-b"),
             scan(2, ScanKind.ADMIT, 0, device="gate-a"),
             scan(3, ScanKind.REFUSE, 3, device="gate-a")]
    for _ in range(10):
        random.shuffle(scans)
        state = ticket_state(scans + scans[:1])  # one seen twice counts once
        assert (state.admission.device, state.admissions) == ("gate-a", 1)
        assert [d.device for d in state.duplicates] == ["gate-b"]


def test_a_scan_goes_to_a_record_and_back():
    original = Scan(id="s", event_id="e", ticket_id="t", kind=ScanKind.REFUSE, at=T0,
                    device="gate-a", list_name="VIP", by="Clara", reason="wrong door",
                    code="wrong_list")
    assert Scan.from_record(original.to_record()) == original
