"""Operator commands: the schema, the mail log, the daemon."""

from sqlalchemy import text

from tests.support import PASSWORD, deliver, logged_in, user
from tix.core.ports import MailError
from tix.core.principal import Role


def test_db_upgrade_is_idempotent_and_says_the_revision(tix):
    from tix.adapters.db.migrate import head_revision

    first = tix("db", "upgrade", "--json")
    assert first.exit_code == 0 and first.json() == {"revision": head_revision()}
    assert tix("db", "upgrade").exit_code == 0


def test_admins_list_failed_mails_and_retry_them(tix, mailer):
    user(tix.runtime, "ann@example.com")
    mailer.failures = [MailError("451 mailbox busy", temporary=True)]
    tix.runtime.accounts.forgot_password("ann@example.com")
    deliver(tix.runtime)
    logged_in(tix.runtime, "root@example.com", role=Role.ADMIN)
    tix.login("root@example.com", PASSWORD)
    failed = tix("notifications", "list", "--status", "failed", "--json").json()
    assert [(n["template"], n["attempts"], n["last_error"]) for n in failed] == [
        ("password_reset", 1, "451 mailbox busy")]
    assert tix("notifications", "retry", failed[0]["id"]).exit_code == 0
    deliver(tix.runtime)  # due at once after a retry, not in a minute
    assert mailer.last_to("ann@example.com").subject == "Reset your tix password"
    sent = tix("notifications", "list", "--status", "sent", "--json").json()
    assert failed[0]["id"] in {n["id"] for n in sent}
    assert tix("notifications", "retry", failed[0]["id"]).exit_code == 5  # already sent
    assert tix("notifications", "list", "--status", "lost").exit_code == 2


def test_only_admins_read_the_mail_log(tix):
    logged_in(tix.runtime)
    tix.login("ann@example.com", PASSWORD)
    assert tix("notifications", "list").exit_code == 3


def test_daemon_once_delivers_and_exits(tix, mailer):
    user(tix.runtime, "ann@example.com")
    tix.runtime.accounts.forgot_password("ann@example.com")
    outcome = tix("daemon", "--once")
    assert outcome.exit_code == 0 and "nothing left to do" in outcome.stderr
    assert mailer.last_to("ann@example.com").subject == "Reset your tix password"
    with tix.runtime.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM outbox WHERE processed_at IS NULL")
                            ).scalar_one() == 0
