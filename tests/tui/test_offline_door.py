"""The box office's offline door (issue 21): no database, no sign-in; a scan admits once
and is in the device's log before the verdict shows; ctrl+u undoes it with a reason."""

from __future__ import annotations

import sys
from pathlib import Path

from textual.widgets import Input, Static

from tests.tui.pilot import run
from tix.door_device import DeviceDoor
from tix.tui.screens.offline_checkin import OfflineCheckInScreen, OfflineDoorApp

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
from door import a_pack


def test_the_offline_door_admits_once_and_logs_every_scan(tmp_path):
    run(lambda: scenario(tmp_path))
    assert len((tmp_path / "gate-a.scans").read_text().splitlines()) == 4


async def scenario(tmp_path: Path) -> None:
    pack, key, _, payloads = a_pack(tmp_path, 5)
    with DeviceDoor(pack, key, device="gate-a", list_name="main", clerk="gate-a") as door:
        app = OfflineDoorApp(door)
        async with app.run_test(size=(80, 24)) as pilot:
            screen = app.screen
            assert isinstance(screen, OfflineCheckInScreen)
            for expected, payload in ((1, payloads[0]), (2, payloads[0]),
                                      (3, "TIX1.forged")):
                screen.query_one("#scan", Input).value = payload
                await pilot.press("enter")
                while screen.scans < expected:
                    await pilot.pause(0.05)
                verdict = str(screen.query_one("#verdict", Static).render())
                if expected == 1:
                    assert "ADMITTED: Holder 0 · Standing · E12-000001" in verdict
                elif expected == 2:
                    assert "REFUSED: already checked in at" in verdict
                else:
                    assert "REFUSED: forged or damaged code" in verdict
            await pilot.pause(0.1)
            count = str(screen.query_one("#door-count", Static).render())
            assert "1 inside, 1 admitted of 5" in count
            await pilot.press("ctrl+u")  # undo the last admission, with a reason
            assert "why undo E12-000001?" in screen.query_one("#scan", Input).placeholder
            screen.query_one("#scan", Input).value = "wrong phone"
            await pilot.press("enter")
            while screen.scans < 4:
                await pilot.pause(0.05)
            verdict = str(screen.query_one("#verdict", Static).render())
            assert "UNDONE: Holder 0 · Standing · E12-000001" in verdict
            await pilot.pause(0.1)
            count = str(screen.query_one("#door-count", Static).render())
            assert "0 inside, 0 admitted of 5" in count
