"""The audit trail: sensitive operations are recorded, and tampering is detected."""

import pytest
from sqlalchemy import text

from tests.support import PASSWORD, user
from tix.core.errors import NotAuthenticated
from tix.core.principal import Role


def actions(runtime) -> list[str]:
    return [e.action for e in reversed(runtime.audit.newest(100))]


def test_logins_lockouts_resets_and_grants_are_recorded(runtime):
    user(runtime)
    runtime.accounts.login(email="ann@example.com", password=PASSWORD, host="ann@laptop")
    for _ in range(3):
        with pytest.raises(NotAuthenticated):
            runtime.accounts.login(email="ann@example.com", password="Wrong-pass-1!")
    with pytest.raises(NotAuthenticated):
        runtime.accounts.login(email="who@example.com", password=PASSWORD)
    runtime.accounts.forgot_password("ann@example.com")
    runtime.accounts.grant("ann@example.com", Role.CLERK)
    runtime.accounts.unlock("ann@example.com")
    assert actions(runtime) == [
        "account.registered", "login.succeeded", "login.failed", "login.failed",
        "login.failed", "account.locked", "login.failed", "password.reset_requested",
        "role.granted", "account.unlocked"]
    entry = runtime.audit.newest(100)[-2]
    assert entry.origin and entry.details["host"] == "ann@laptop"


def test_the_sealed_chain_verifies(runtime):
    user(runtime)
    runtime.accounts.login(email="ann@example.com", password=PASSWORD)
    assert runtime.audit.seal() == 2
    runtime.accounts.grant("ann@example.com", Role.CLERK)
    assert runtime.audit.seal() == 1
    report = runtime.audit.verify()
    assert report.intact and report.checked == 3 and report.unsealed == 0


def tamper(runtime, sql: str) -> None:
    with runtime.engine.begin() as conn:
        conn.execute(text(sql))


def sealed_chain(runtime, logins: int = 3):
    user(runtime)
    for _ in range(logins):
        runtime.accounts.login(email="ann@example.com", password=PASSWORD)
    runtime.audit.seal()


def test_an_edited_entry_is_named(runtime):
    sealed_chain(runtime)
    tamper(runtime, "UPDATE audit_entries SET actor = 'mallory@example.com' WHERE position = 2")
    report = runtime.audit.verify()
    assert not report.intact
    assert report.problems == [report.problems[0]] and "#2" in report.problems[0]
    assert "edited" in report.problems[0]


def test_a_deleted_entry_is_named(runtime):
    sealed_chain(runtime)
    tamper(runtime, "DELETE FROM audit_entries WHERE position = 3")
    report = runtime.audit.verify()
    assert any("#3 is missing" in p for p in report.problems), report.problems


def test_the_cli_verifies_and_fails_loudly_on_tampering(runtime):
    from tests.cli.conftest import Tix

    tix = Tix(runtime)
    sealed_chain(runtime)
    ok = tix("admin", "audit", "--verify", "--json")
    assert ok.exit_code == 0 and ok.json()["intact"] is True
    tamper(runtime, "UPDATE audit_entries SET details = '{}' WHERE position = 1")
    broken = tix("admin", "audit", "--verify", "--json")
    assert broken.exit_code == 5
    assert "#1" in broken.json()["problems"][0]
    listing = tix("admin", "audit", "--json")
    assert listing.exit_code == 0 and listing.json()[0]["action"] == "login.succeeded"
