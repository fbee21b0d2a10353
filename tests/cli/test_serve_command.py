"""tix serve: its help, an address it cannot listen on, and the web staying off the
path of every other command."""

from __future__ import annotations

import socket
import subprocess
import sys


def test_serve_has_help(tix_sqlite):
    shown = tix_sqlite("serve", "--help")
    assert shown.exit_code == 0
    assert "--host" in shown.stdout and "--port" in shown.stdout and "--workers" in shown.stdout


def test_a_port_in_use_is_one_line_and_exit_6(tix_sqlite):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        refused = tix_sqlite("serve", "--port", str(port))
    assert refused.exit_code == 6
    assert refused.stderr.strip() == f"tix: cannot listen on 127.0.0.1:{port}: " \
                                     "Address already in use"


def test_bad_options_are_usage_errors(tix_sqlite):
    assert tix_sqlite("serve", "--workers", "0").exit_code == 2
    assert tix_sqlite("serve", "--port", "70000").exit_code == 2


def test_the_web_framework_is_not_loaded_by_the_cli():
    loaded = subprocess.run([sys.executable, "-c", (
        "import sys; from tix.cli.app import app; "
        "print(sorted(m for m in ('fastapi', 'uvicorn', 'starlette') if m in sys.modules))")],
        capture_output=True, text=True, check=True)
    assert loaded.stdout.strip() == "[]"
