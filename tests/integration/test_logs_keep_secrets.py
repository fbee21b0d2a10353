"""The logs of a full run hold no password, token, key or personal data.

Everything a user and an operator do, through the CLI where they would: register, verify,
log in (wrongly, then rightly), reset a password, buy by card (declined, then paid), get the
tickets mail over real SMTP, check in, a mail the SMTP server refuses naming the recipient,
export and erase. Every log record of every logger, at DEBUG, is then searched.
"""

from __future__ import annotations

import logging
import re

from tests.catalog_support import an_event, on_every_team, organizer
from tests.cli.conftest import Tix
from tests.support import PASSWORD, logged_in
from tix import credentials
from tix.core.principal import Role

NEW_PASSWORD = "Another-horse-7?"
STRIPE_KEY = "sk_test_tix_do_not_log_me"


def token_in(answers, subject_start: str, pattern: str) -> str:
    [mail] = [m for m in answers.received if m["Subject"].startswith(subject_start)][-1:]
    body = next(p for p in mail.walk() if p.get_content_type() == "text/plain")
    return re.search(pattern, body.get_payload(decode=True).decode())[1]


def test_a_full_run_logs_nothing_secret(make_runtime, database, smtp_server, stripe_base,
                                        caplog, tmp_path):
    caplog.set_level(logging.DEBUG)
    url, answers = smtp_server
    runtime = make_runtime(database, real_mail=True, smtp_url=url, stripe_api_key=STRIPE_KEY,
                           stripe_api_base=stripe_base)
    tix = Tix(runtime)
    daemon = ("daemon", "--once")

    assert tix("account", "register", "--email", "annabel@example.com", "--name",
               "Annabel Quillfeather", "--dob", "1987-06-05", "--password-stdin",
               input=PASSWORD + "\n").exit_code == 0
    assert tix(*daemon).exit_code == 0
    verification = token_in(answers, "Confirm", r"tix account verify (\S+)")
    assert tix("account", "verify", verification).exit_code == 0
    assert tix.login("annabel@example.com", "Wrong-horse-1!").exit_code == 3
    assert tix.login("annabel@example.com", PASSWORD).exit_code == 0
    session = credentials.load(runtime.settings.credentials_path).token
    assert tix("account", "forgot-password", "--email", "annabel@example.com").exit_code == 0
    assert tix(*daemon).exit_code == 0
    reset = token_in(answers, "Reset", r"tix account reset-password (\S+)")
    assert tix("account", "reset-password", reset, "--password-stdin",
               input=NEW_PASSWORD + "\n").exit_code == 0
    assert tix.login("annabel@example.com", NEW_PASSWORD).exit_code == 0

    standing = runtime.catalog.show(an_event(runtime, organizer(runtime))).ticket_types[0]
    assert tix("buy", standing.id, "--quantity", "2", "--holder", "Hildegard Ottoline",
               "--holder", "Bartholomew Vane", "--payment-method",
               "pm_card_chargeCustomerFail").exit_code == 5
    bought = tix("buy", standing.id, "--quantity", "2", "--holder", "Hildegard Ottoline",
                 "--holder", "Bartholomew Vane", "--payment-method", "pm_card_visa", "--json")
    assert bought.exit_code == 0, bought.stderr
    assert tix(*daemon).exit_code == 0
    annabel = runtime.accounts.login(email="annabel@example.com", password=NEW_PASSWORD)
    [ticket, _] = runtime.tickets.mine(annabel.principal)
    clerk = logged_in(runtime, "clara@example.com", role=Role.CLERK, name="Clara Clerk")
    on_every_team(runtime, clerk)
    runtime.tickets.check_in(clerk, ticket.qr_payload)

    answers.permanent = True
    answers.permanent_answer = "550 5.1.1 <annabel@example.com>: Annabel Quillfeather unknown"
    assert tix("ticket", "resend", bought.json()["number"]).exit_code == 0
    assert tix(*daemon).exit_code == 0
    assert tix("account", "export", "-o", str(tmp_path / "me.json")).exit_code == 0
    assert tix("account", "delete", "--yes").exit_code == 0
    assert tix(*daemon).exit_code == 0

    logged = "\n".join(record_text(r) for r in caplog.records
                        if not r.name.startswith("mail.log"))  # the test's SMTP server
    secrets = {
        "password": PASSWORD, "new password": NEW_PASSWORD, "session token": session,
        "verification token": verification, "reset token": reset,
        "secret key": runtime.settings.secret_key, "Stripe key": STRIPE_KEY,
        "email": "annabel@example.com", "name": "Quillfeather", "date of birth": "1987-06-05",
        "holder": "Ottoline", "other holder": "Bartholomew", "ticket payload": ticket.qr_payload,
    }
    found = [what for what, value in secrets.items() if value and value in logged]
    if "_secret_" in logged:  # a payment intent's client secret (pi_…_secret_…)
        found.append("a Stripe client secret")
    leaks = [r for r in logged.splitlines() if "annabel" in r.lower() or "Quill" in r]
    assert not found, f"the logs hold: {', '.join(found)}: {leaks[:3]}"
    assert len(caplog.records) > 10  # the run did log: the search above searched something


def record_text(record: logging.LogRecord) -> str:
    text = f"{record.name} {record.getMessage()}"
    if record.exc_info:
        text += " " + logging.Formatter().formatException(record.exc_info)
    return text
