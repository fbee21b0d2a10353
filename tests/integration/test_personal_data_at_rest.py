"""Personal data never lies in the database in clear: not in users, mail, outbox or audit."""

import re
from datetime import date

import pytest

from tests.catalog_support import an_event, on_every_team
from tests.support import PASSWORD, database_bytes, deliver, logged_in
from tix.core.errors import NotAuthenticated
from tix.core.orders.model import Tender
from tix.core.ports import MailError
from tix.core.principal import Role

EMAIL = "Zelda.Quartermain@example.com"
NAME = "Zelda Quartermain"
BIRTH = date(1987, 6, 5)


def exercise_every_path(runtime, mailer) -> None:
    runtime.accounts.register(email=EMAIL, password=PASSWORD, name=NAME, date_of_birth=BIRTH)
    # the first mail is refused by a server quoting the recipient, as servers do
    mailer.failures.append(MailError(f"SMTP 550 <{EMAIL}>: {NAME} unknown", temporary=True))
    runtime.accounts.resend_verification(EMAIL)
    deliver(runtime)  # outbox → notifications (mails rendered with the name)
    runtime.accounts.forgot_password(EMAIL)  # outbox, rate limit hits, audit
    with pytest.raises(NotAuthenticated):
        runtime.accounts.login(email=EMAIL, password="Wrong-pass-1!")  # audit with email
    # a sale: holder names on the order, the outbox message, the tickets and their mail
    clerk = logged_in(runtime, "clerk@example.com", role=Role.CLERK, name="Counter Clerk")
    ticket_type = runtime.catalog.show(an_event(runtime)).ticket_types[0].id
    on_every_team(runtime, clerk)
    runtime.orders.buy(clerk, ticket_type, 1, tender=Tender.CASH, tendered=4500,
                       holders=[NAME])
    deliver(runtime)
    runtime.audit.seal()


def test_a_raw_dump_shows_no_email_name_or_birth_date(runtime, database, mailer):
    exercise_every_path(runtime, mailer)
    with runtime.uow(readonly=True) as uow:
        stored = uow.users.by_email(EMAIL.upper())
        assert stored is not None and stored.name == NAME and stored.date_of_birth == BIRTH
    runtime.close()
    raw = database_bytes(database).lower()
    for secret in (EMAIL.lower(), "zelda", "quartermain", "1987-06-05", "19870605"):
        assert secret.encode() not in raw, f"{secret!r} found in clear"
    assert re.search(rb"v1:k1:", raw)  # the values are there, encrypted
