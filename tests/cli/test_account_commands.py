"""The account commands: exit codes, one-line errors, JSON on stdout, the stored login."""

import os
import re
import stat
import subprocess
import sys

from tests.support import PASSWORD, deliver, user

REGISTER = ("account", "register", "--email", "ann@example.com", "--name", "Ann Example",
            "--dob", "1990-01-02", "--password-stdin")


def test_register_verify_login_whoami_logout(tix, mailer):
    registered = tix(*REGISTER, "--json", input=PASSWORD + "\n")
    assert registered.exit_code == 0, registered.stderr
    assert registered.json()["email"] == "ann@example.com"
    assert registered.json()["verified"] is False
    deliver(tix.runtime)
    token = re.search(r"tix account verify (\S+)", mailer.last_to("ann@example.com").text)[1]
    assert tix("account", "verify", token).exit_code == 0
    assert tix.login("ann@example.com", PASSWORD).exit_code == 0
    who = tix("whoami", "--json")
    assert who.json()["email"] == "ann@example.com" and who.json()["role"] == "customer"
    assert tix("logout").exit_code == 0
    assert tix("whoami").exit_code == 3


def test_the_stored_login_is_readable_by_its_owner_only(tix):
    user(tix.runtime)
    tix.login("ann@example.com", PASSWORD)
    path = tix.runtime.settings.credentials_path
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600


def test_exit_codes_follow_the_contract(tix):
    user(tix.runtime)
    cases = {
        "duplicate email": (REGISTER, PASSWORD, 5),
        "invalid email": (("account", "register", "--email", "nope", "--name", "N", "--dob",
                           "1990-01-01", "--password-stdin"), PASSWORD, 2),
        "weak password": (("account", "register", "--email", "bo@example.com", "--name", "B",
                           "--dob", "1990-01-01", "--password-stdin"), "weak", 2),
        "future birth": (("account", "register", "--email", "bo@example.com", "--name", "B",
                          "--dob", "2090-01-01", "--password-stdin"), PASSWORD, 2),
        "wrong password": (("login", "--email", "ann@example.com", "--password-stdin"),
                           "Wrong-pass-1!", 3),
        "not logged in": (("whoami",), None, 3),
        "unknown token": (("account", "verify", "nope"), None, 4),
        "unknown option": (("login", "--emial", "x"), None, 2),
        "unknown role": (("admin", "grant", "ann@example.com", "king"), None, 2),
        "unknown user": (("admin", "unlock", "who@example.com"), None, 4),
    }
    for name, (args, stdin, code) in cases.items():
        outcome = tix(*args, input=None if stdin is None else stdin + "\n")
        assert outcome.exit_code == code, (name, outcome.stderr)
        assert outcome.stdout == "", name
        assert "Traceback" not in outcome.stderr, name


def test_errors_are_one_line_on_stderr(tix):
    user(tix.runtime)
    outcome = tix.login("ann@example.com", "Wrong-pass-1!")
    assert outcome.stderr.strip().count("\n") == 0
    assert outcome.stderr.startswith("tix: wrong email or password")


def test_the_fourth_reset_request_exits_5_with_the_wait(tix):
    user(tix.runtime)
    for _ in range(3):
        assert tix("account", "forgot-password", "--email", "ann@example.com").exit_code == 0
    refused = tix("account", "forgot-password", "--email", "ann@example.com")
    assert refused.exit_code == 5
    assert "try again in 60 min" in refused.stderr


def test_the_admin_commands_create_grant_and_unlock(tix):
    created = tix("admin", "create-user", "--email", "ops@example.com", "--name", "Ops",
                  "--role", "clerk", "--password-stdin", "--json", input=PASSWORD + "\n")
    assert created.exit_code == 0, created.stderr
    assert created.json()["role"] == "clerk" and created.json()["verified"] is True
    assert tix("admin", "grant", "ops@example.com", "organizer").exit_code == 0
    for _ in range(3):
        tix.login("ops@example.com", "Wrong-pass-1!")
    assert tix.login("ops@example.com", PASSWORD).exit_code == 3
    assert tix("admin", "unlock", "ops@example.com").exit_code == 0
    assert tix.login("ops@example.com", PASSWORD).exit_code == 0
    assert tix("whoami", "--json").json()["role"] == "organizer"


def test_an_unreachable_database_is_one_line_and_exit_6(tmp_path):
    env = {**os.environ, "TIX_DATA_DIR": str(tmp_path), "TIX_CONFIG_DIR": str(tmp_path),
           "TIX_DATABASE_URL": "postgresql+psycopg://postgres@127.0.0.1:9/nowhere"}
    result = subprocess.run([sys.executable, "-m", "tix", "account", "forgot-password",
                             "--email", "a@example.com"], env=env, capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 6, result.stderr
    assert result.stderr.startswith("tix: database unavailable")
    assert result.stderr.strip().count("\n") == 0


def test_an_unreachable_smtp_server_leaves_the_mail_failed_for_a_retry(
        make_runtime, database, tmp_path):
    runtime = make_runtime(database, real_mail=True, smtp_url="smtp://127.0.0.1:9")
    runtime.accounts.register(email="ann@example.com", password=PASSWORD, name="Ann",
                              date_of_birth=None)
    deliver(runtime)
    [mail] = runtime.notifications.list()
    assert mail.status.value == "FAILED"
    assert "unreachable" in (mail.last_error or "")


def test_demo_seeds_accounts_that_can_log_in_and_is_safe_twice(tix):
    first = tix("demo", "--json")
    assert first.exit_code == 0, first.stderr
    assert {a["role"] for a in first.json()["accounts"]} >= {"admin", "organizer", "clerk",
                                                             "customer"}
    assert tix("demo", "--json").json()["created"] == []
    account = first.json()["accounts"][0]
    assert tix.login(account["email"], account["password"]).exit_code == 0


def test_demo_reset_needs_confirmation_without_a_terminal(tix):
    tix("demo")
    refused = tix("demo", "--reset", input="n\n")
    assert refused.exit_code == 2
    assert tix("demo", "--reset", "--yes", "--json").exit_code == 0
