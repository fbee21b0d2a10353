"""The root of `tix`: its version, and what a mistyped command is told."""

from __future__ import annotations

from importlib.metadata import version

import pytest


def test_version_prints_the_package_version(tix_sqlite):
    outcome = tix_sqlite("--version")
    assert outcome.exit_code == 0
    assert outcome.stdout == f"tix {version('tix')}\n"


@pytest.mark.parametrize(("typed", "meant"), [(["evnt", "list"], "event"),
                                              (["event", "lsit"], "list")])
def test_a_mistyped_command_is_told_the_close_one_once(tix_sqlite, typed, meant):
    outcome = tix_sqlite(*typed)
    assert outcome.exit_code == 2
    assert outcome.stderr.count("Did you mean") == 1
    assert f"Did you mean '{meant}'?" in outcome.stderr
