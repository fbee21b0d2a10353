"""Expiry times in account mails are written for people, not as ISO stamps."""

from __future__ import annotations

from datetime import date

from tests.support import deliver, user


def test_the_verification_mail_says_until_when_in_words(sqlite_runtime, mailer):
    sqlite_runtime.accounts.register(email="ann@example.com", password="Correct-horse-9!",
                                     name="Ann Example", date_of_birth=date(1990, 1, 2))
    deliver(sqlite_runtime)
    mail = mailer.last_to("ann@example.com")  # registered at 12:00 on 24 November, 24 h
    for part in (mail.text, mail.html):
        assert "valid until 12:00 UTC on 25 November 2026." in part
        assert "2026-11-25" not in part and "+00:00" not in part


def test_the_reset_mail_says_until_when_in_words(sqlite_runtime, mailer):
    user(sqlite_runtime)
    sqlite_runtime.accounts.forgot_password("ann@example.com")
    deliver(sqlite_runtime)
    mail = mailer.last_to("ann@example.com")  # 15 minutes
    for part in (mail.text, mail.html):
        assert "works once, until 12:15 UTC on 24 November 2026." in part
        assert "2026-11-24T" not in part
