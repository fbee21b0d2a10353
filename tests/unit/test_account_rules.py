from datetime import UTC, date, datetime, timedelta

import pytest

from tix.core.accounts.model import (
    MAX_FAILED_LOGINS,
    User,
    check_name,
    check_password_rules,
    hash_token,
    parse_date_of_birth,
    session_lifetime,
)
from tix.core.errors import Invalid
from tix.core.principal import Role

NOW = datetime(2026, 11, 24, 12, tzinfo=UTC)


def a_user() -> User:
    return User(id="u1", email="a@example.com", name="A", date_of_birth=date(1990, 1, 1),
                password_hash="x", role=Role.CUSTOMER, created_at=NOW)


@pytest.mark.parametrize("password, missing", [
    ("Short-1a", "at least 12 characters"),
    ("no-upper-case-1", "an upper-case letter"),
    ("NO-LOWER-CASE-1", "a lower-case letter"),
    ("No-digits-at-all", "a digit"),
    ("NoSpecialChars123", "a special character"),
])
def test_a_password_needs_length_and_four_kinds_of_character(password, missing):
    with pytest.raises(Invalid, match=missing):
        check_password_rules(password)


def test_a_strong_password_passes():
    check_password_rules("Correct-horse-9!")


def test_a_password_longer_than_bcrypt_can_hash_is_refused_not_truncated():
    with pytest.raises(Invalid, match="72 bytes"):
        check_password_rules("Aa1!" + "é" * 40)


def test_the_date_of_birth_must_be_a_real_past_date():
    today = date(2026, 11, 24)
    assert parse_date_of_birth("1990-02-28", today) == date(1990, 2, 28)
    for bad in ("2026-11-24", "2030-01-01", "1990-02-30", "yesterday", "1899-12-31"):
        with pytest.raises(Invalid):
            parse_date_of_birth(bad, today)


def test_names_are_trimmed_and_bounded():
    assert check_name("  Ann   Example ") == "Ann Example"
    with pytest.raises(Invalid):
        check_name("   ")
    with pytest.raises(Invalid):
        check_name("x" * 201)


def test_the_third_wrong_password_in_a_row_locks_the_account():
    user = a_user()
    assert [user.record_failed_login(NOW) for _ in range(MAX_FAILED_LOGINS)] == [
        False, False, True]
    assert user.is_locked
    assert user.record_failed_login(NOW) is False  # locking happens once


def test_a_successful_login_resets_the_count_and_unlock_opens_the_account():
    user = a_user()
    user.record_failed_login(NOW)
    user.record_failed_login(NOW)
    user.record_successful_login()
    assert not user.record_failed_login(NOW)
    user.locked_at = NOW
    user.unlock()
    assert not user.is_locked and user.failed_logins == 0


def test_sessions_last_an_hour_or_thirty_days_when_remembered():
    assert session_lifetime(False) == timedelta(hours=1)
    assert session_lifetime(True) == timedelta(days=30)


def test_tokens_are_stored_as_hashes():
    assert hash_token("abc") != "abc" and len(hash_token("abc")) == 64


def test_roles_parse_case_insensitively_and_unknown_roles_are_refused():
    assert Role.parse(" Organizer ") is Role.ORGANIZER
    with pytest.raises(Invalid, match="unknown role"):
        Role.parse("superuser")


def test_tokens_never_look_like_command_line_options():
    from tix.core.accounts.model import new_secret_token

    tokens = [new_secret_token() for _ in range(2000)]
    assert not any(t.startswith("-") for t in tokens)
    assert len(set(tokens)) == 2000 and all(len(t) == 64 for t in tokens)
