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


@pytest.mark.parametrize("debug", [False, True])
def test_debug_in_config_toml_shows_the_traceback(tmp_path, monkeypatch, debug):
    from typer.testing import CliRunner

    from tix.cli import state
    from tix.cli.app import app

    def broken(path):
        raise RuntimeError("a bug")

    monkeypatch.setattr(state.credentials, "load", broken)
    monkeypatch.delenv("TIX_DEBUG", raising=False)
    (tmp_path / "config.toml").write_text(f"debug = {str(debug).lower()}\n")
    result = CliRunner().invoke(app, ["whoami"], env={
        "TIX_CONFIG_DIR": str(tmp_path), "TIX_DATA_DIR": str(tmp_path)})
    if debug:
        assert isinstance(result.exception, RuntimeError)  # raised, for its traceback
    else:
        assert result.exit_code == 1
        assert result.stderr == ("tix: internal error: RuntimeError: a bug "
                                 "(set TIX_DEBUG=1 for the traceback)\n")
