"""The account lifecycle on SQLite and PostgreSQL, mail included (through the outbox)."""

import re
from datetime import date, timedelta

import pytest

from tests.support import PASSWORD, deliver, user
from tix.core.errors import Invalid, NotAuthenticated, NotFound, RuleViolation
from tix.core.principal import Role

NEW_PASSWORD = "Brand-new-pass-7?"


def register(runtime, email="ann@example.com"):
    return runtime.accounts.register(email=email, password=PASSWORD, name="Ann Example",
                                     date_of_birth=date(1990, 1, 2))


def token_in(mail) -> str:
    return re.search(r"tix account (?:verify|reset-password) (\S+)", mail.text).group(1)


def test_registration_mails_the_verify_command_and_link(runtime, mailer):
    register(runtime)
    deliver(runtime)
    mail = mailer.last_to("ann@example.com")
    token = token_in(mail)
    assert f"https://tix.test/verify?token={token}" in mail.text
    assert f"tix account verify {token}" in mail.html
    assert runtime.accounts.verify_email(token) == "ann@example.com"


def test_an_email_registers_once_whatever_its_case(runtime):
    register(runtime, "Ann@Example.com")
    with pytest.raises(RuleViolation, match="already registered"):
        register(runtime, "ann@EXAMPLE.com")


def test_bad_registrations_are_refused_before_anything_is_stored(runtime):
    for kwargs in ({"email": "not-an-email"}, {"password": "weak"},
                   {"date_of_birth": date(2030, 1, 1)}, {"name": " "}):
        values = {"email": "bob@example.com", "password": PASSWORD, "name": "Bob",
                  "date_of_birth": date(1990, 1, 1)} | kwargs
        with pytest.raises(Invalid):
            runtime.accounts.register(**values)
    with pytest.raises(NotAuthenticated, match="wrong email or password"):
        runtime.accounts.login(email="bob@example.com", password=PASSWORD)


def test_an_unverified_account_cannot_log_in(runtime):
    register(runtime)
    with pytest.raises(NotAuthenticated, match="not verified"):
        runtime.accounts.login(email="ann@example.com", password=PASSWORD)


def test_a_verification_token_expires_after_a_day(runtime, mailer, clock):
    register(runtime)
    deliver(runtime)
    clock.advance(timedelta(hours=24, seconds=1))
    with pytest.raises(RuleViolation, match="expired"):
        runtime.accounts.verify_email(token_in(mailer.last_to("ann@example.com")))


def test_resending_verification_retires_the_old_token(runtime, mailer):
    register(runtime)
    deliver(runtime)
    old = token_in(mailer.last_to("ann@example.com"))
    runtime.accounts.resend_verification("ann@example.com")
    deliver(runtime)
    new = token_in(mailer.last_to("ann@example.com"))
    assert new != old
    with pytest.raises(RuleViolation, match="already used or replaced"):
        runtime.accounts.verify_email(old)
    runtime.accounts.verify_email(new)


def test_unknown_email_and_wrong_password_look_the_same(runtime):
    user(runtime)
    errors = []
    for email, password in (("nobody@example.com", PASSWORD), ("ann@example.com", "Wrong-pass-1!")):
        with pytest.raises(NotAuthenticated) as caught:
            runtime.accounts.login(email=email, password=password)
        errors.append((caught.value.message, caught.value.code))
    assert errors[0] == errors[1]


def test_three_failures_in_a_row_lock_the_account_and_mail_the_owner(runtime, mailer):
    user(runtime)
    for _ in range(3):
        with pytest.raises(NotAuthenticated, match="wrong email or password"):
            runtime.accounts.login(email="ann@example.com", password="Wrong-pass-1!")
    with pytest.raises(NotAuthenticated, match="locked") as caught:
        runtime.accounts.login(email="ann@example.com", password=PASSWORD)
    assert caught.value.code == "account_locked"
    deliver(runtime)
    assert mailer.last_to("ann@example.com").subject == "Your tix account was locked"
    runtime.accounts.unlock("ann@example.com")
    runtime.accounts.login(email="ann@example.com", password=PASSWORD)


def test_a_success_resets_the_failure_count(runtime):
    user(runtime)
    for _ in range(2):
        with pytest.raises(NotAuthenticated):
            runtime.accounts.login(email="ann@example.com", password="Wrong-pass-1!")
    runtime.accounts.login(email="ann@example.com", password=PASSWORD)
    for _ in range(2):
        with pytest.raises(NotAuthenticated):
            runtime.accounts.login(email="ann@example.com", password="Wrong-pass-1!")
    runtime.accounts.login(email="ann@example.com", password=PASSWORD)


def test_a_session_lasts_an_hour_or_thirty_days(runtime, clock):
    user(runtime)
    short = runtime.accounts.login(email="ann@example.com", password=PASSWORD)
    long = runtime.accounts.login(email="ann@example.com", password=PASSWORD, remember_me=True)
    clock.advance(timedelta(hours=1, seconds=1))
    with pytest.raises(NotAuthenticated):
        runtime.accounts.authenticate(short.token)
    clock.advance(timedelta(days=29))
    assert runtime.accounts.authenticate(long.token).email == "ann@example.com"


def test_logout_ends_the_session_for_every_process(runtime, make_runtime, database):
    user(runtime)
    login = runtime.accounts.login(email="ann@example.com", password=PASSWORD)
    other_process = make_runtime(database)
    assert other_process.accounts.authenticate(login.token).email == "ann@example.com"
    runtime.accounts.logout(login.token)
    with pytest.raises(NotAuthenticated, match="session has ended"):
        other_process.accounts.authenticate(login.token)
    with pytest.raises(NotAuthenticated):
        runtime.accounts.authenticate(login.token)


def test_forgot_password_answers_the_same_for_unknown_addresses(runtime, mailer):
    runtime.accounts.forgot_password("nobody@example.com")
    deliver(runtime)
    assert mailer.sent == []


def test_the_fourth_reset_request_within_an_hour_is_refused_with_the_wait(runtime, clock):
    user(runtime)
    for _ in range(3):
        runtime.accounts.forgot_password("ann@example.com")
        clock.advance(timedelta(minutes=10))
    with pytest.raises(RuleViolation, match=r"try again in 30 min"):
        runtime.accounts.forgot_password("ann@example.com")
    clock.advance(timedelta(minutes=30))
    runtime.accounts.forgot_password("ann@example.com")


def test_the_reset_limit_holds_across_processes(runtime, make_runtime, database):
    user(runtime)
    processes = [runtime, make_runtime(database), make_runtime(database)]
    for process in processes:
        process.accounts.forgot_password("ann@example.com")
    with pytest.raises(RuleViolation, match="too many"):
        make_runtime(database).accounts.forgot_password("ann@example.com")


def test_a_reset_changes_the_password_once_and_ends_every_session(runtime, mailer):
    user(runtime)
    session = runtime.accounts.login(email="ann@example.com", password=PASSWORD)
    runtime.accounts.forgot_password("ann@example.com")
    deliver(runtime)
    token = token_in(mailer.last_to("ann@example.com"))
    with pytest.raises(Invalid):
        runtime.accounts.reset_password(token, "weak")
    runtime.accounts.reset_password(token, NEW_PASSWORD)
    with pytest.raises(RuleViolation, match="already used"):
        runtime.accounts.reset_password(token, NEW_PASSWORD)
    with pytest.raises(NotAuthenticated):
        runtime.accounts.authenticate(session.token)
    with pytest.raises(NotAuthenticated):
        runtime.accounts.login(email="ann@example.com", password=PASSWORD)
    runtime.accounts.login(email="ann@example.com", password=NEW_PASSWORD)
    deliver(runtime)
    assert mailer.last_to("ann@example.com").subject == "Your tix password was changed"


def test_a_reset_token_expires_after_fifteen_minutes(runtime, mailer, clock):
    user(runtime)
    runtime.accounts.forgot_password("ann@example.com")
    deliver(runtime)
    clock.advance(timedelta(minutes=15))
    with pytest.raises(RuleViolation, match="expired"):
        runtime.accounts.reset_password(token_in(mailer.last_to("ann@example.com")),
                                        NEW_PASSWORD)


def test_a_reset_unlocks_a_locked_account(runtime, mailer):
    user(runtime)
    for _ in range(3):
        with pytest.raises(NotAuthenticated):
            runtime.accounts.login(email="ann@example.com", password="Wrong-pass-1!")
    runtime.accounts.forgot_password("ann@example.com")
    deliver(runtime)
    reset = [m for m in mailer.to("ann@example.com") if "reset" in m.subject.lower()][-1]
    runtime.accounts.reset_password(token_in(reset), NEW_PASSWORD)
    runtime.accounts.login(email="ann@example.com", password=NEW_PASSWORD)


def test_an_unknown_token_is_not_found(runtime):
    with pytest.raises(NotFound):
        runtime.accounts.verify_email("no-such-token")


def test_a_granted_role_shows_at_once_in_existing_sessions(runtime):
    user(runtime)
    login = runtime.accounts.login(email="ann@example.com", password=PASSWORD)
    assert runtime.accounts.authenticate(login.token).role is Role.CUSTOMER
    runtime.accounts.grant("ann@example.com", Role.ORGANIZER)
    assert runtime.accounts.authenticate(login.token).role is Role.ORGANIZER


def test_many_failed_logins_from_one_host_make_it_wait(runtime, clock):
    user(runtime)
    for n in range(20):
        with pytest.raises(NotAuthenticated):
            runtime.accounts.login(email=f"guess{n}@example.com", password=PASSWORD,
                                   host="mallory@box")
    with pytest.raises(RuleViolation, match="too many failed logins; try again in 15 min"):
        runtime.accounts.login(email="ann@example.com", password=PASSWORD, host="mallory@box")
    runtime.accounts.login(email="ann@example.com", password=PASSWORD, host="ann@laptop")
    clock.advance(timedelta(minutes=15))
    runtime.accounts.login(email="ann@example.com", password=PASSWORD, host="mallory@box")


def test_many_failed_logins_for_one_address_make_it_wait_from_any_host(runtime):
    for n in range(10):
        with pytest.raises(NotAuthenticated):
            runtime.accounts.login(email="target@example.com", password=PASSWORD,
                                   host=f"bot{n}@net")
    with pytest.raises(RuleViolation, match="too many failed logins"):
        runtime.accounts.login(email="target@example.com", password=PASSWORD, host="new@net")
