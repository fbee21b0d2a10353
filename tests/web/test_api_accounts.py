"""/api/auth and /api/users through HTTP: register, verify and reset from the links in
real mails, login limits and lockout, GDPR export and erasure across roles."""

from __future__ import annotations

import re

from tests.support import PASSWORD, deliver, user
from tests.web.conftest import bearer
from tix.core.principal import Role

NEW_PASSWORD = "Brand-new-pass-7?"


def token_in(mailer, address: str, path: str) -> str:
    link = re.search(rf"https://tix\.test/{path}\?token=(\S+)", mailer.last_to(address).text)
    assert link, mailer.last_to(address).text
    return link.group(1)


def test_register_verify_from_the_mail_and_log_in(web, mailer):
    web.token()
    answer = web.post("/api/auth/register", json={
        "email": "nia@Example.com", "password": PASSWORD, "name": "Nia Newcomer",
        "date_of_birth": "1991-04-05"})
    assert answer.status_code == 201, answer.text
    assert answer.json()["email"] == "nia@example.com" and not answer.json()["verified"]
    refused = web.post("/api/auth/login", json={"email": "nia@example.com",
                                                "password": PASSWORD})
    assert refused.status_code == 401 and refused.json()["code"] == "not_verified"
    deliver(web.app.state.runtime)
    token = token_in(mailer, "nia@example.com", "verify")
    assert web.post("/api/auth/verify-email", json={"token": token}).json() == {
        "email": "nia@example.com", "verified": True}
    again = web.post("/api/auth/verify-email", json={"token": token})
    assert again.status_code == 409 and again.json()["code"] == "token_used"
    web.log_in("nia@example.com")
    assert web.get("/api/auth/me").json()["name"] == "Nia Newcomer"


def test_registration_refusals_name_their_field(web_sqlite):
    web_sqlite.token()
    weak = web_sqlite.post("/api/auth/register", json={
        "email": "x@example.com", "password": "short", "name": "X"})
    assert weak.status_code in (400, 422) and weak.json()["code"] != "internal"
    future = web_sqlite.post("/api/auth/register", json={
        "email": "x@example.com", "password": PASSWORD, "name": "X",
        "date_of_birth": "2999-01-01"})
    assert future.status_code == 422 and future.json()["field"] == "date_of_birth"
    bad_date = web_sqlite.post("/api/auth/register", json={
        "email": "x@example.com", "password": PASSWORD, "name": "X",
        "date_of_birth": "yesterday"})
    assert bad_date.status_code == 422 and bad_date.json()["field"] == "date_of_birth"
    user(web_sqlite.app.state.runtime, "taken@example.com")
    taken = web_sqlite.post("/api/auth/register", json={
        "email": "taken@example.com", "password": PASSWORD, "name": "Y"})
    assert taken.status_code == 409 and taken.json()["code"] == "already_registered"


def test_forgot_and_reset_from_the_mail_then_too_many_requests(web, mailer):
    runtime = web.app.state.runtime
    user(runtime, "ann@example.com")
    web.token()
    assert web.post("/api/auth/forgot-password",
                    json={"email": "ann@example.com"}).status_code == 202
    deliver(runtime)
    token = token_in(mailer, "ann@example.com", "reset")
    changed = web.post("/api/auth/reset-password",
                       json={"token": token, "password": NEW_PASSWORD})
    assert changed.status_code == 200, changed.text
    web.log_in("ann@example.com", NEW_PASSWORD)
    for _ in range(2):
        web.post("/api/auth/forgot-password", json={"email": "ann@example.com"})
    limited = web.post("/api/auth/forgot-password", json={"email": "ann@example.com"})
    assert limited.status_code == 429
    assert limited.headers["content-type"] == "application/problem+json"
    assert int(limited.headers["retry-after"]) > 0 and limited.json()["code"] == "rate_limited"


def test_three_wrong_passwords_lock_the_account(web_sqlite):
    user(web_sqlite.app.state.runtime, "ann@example.com")
    web_sqlite.token()
    for _ in range(3):
        wrong = web_sqlite.post("/api/auth/login", json={"email": "ann@example.com",
                                                         "password": "wrong-Password-1"})
        assert wrong.status_code == 401
    locked = web_sqlite.post("/api/auth/login", json={"email": "ann@example.com",
                                                      "password": PASSWORD})
    assert locked.status_code == 401 and locked.json()["code"] == "account_locked"


def test_resend_verification_answers_alike_for_anyone(web_sqlite):
    web_sqlite.token()
    for email in ("nobody@example.com", "not an email"):
        answer = web_sqlite.post("/api/auth/resend-verification", json={"email": email})
        assert answer.status_code in (202, 400, 422), answer.text


def test_export_and_erasure_of_ones_own_account(web):
    runtime = web.app.state.runtime
    user(runtime, "ann@example.com")
    web.log_in("ann@example.com")
    exported = web.get("/api/users/me/export")
    assert exported.status_code == 200
    assert exported.json()["profile"]["email"] == "ann@example.com"
    erased = web.delete("/api/users/me")
    assert erased.status_code == 200 and erased.json()["erased"] is True
    assert web.get("/api/auth/me").status_code == 401


def test_anothers_data_is_an_admins_to_export(web):
    runtime = web.app.state.runtime
    other = user(runtime, "bob@example.com")
    ann = bearer(runtime, "ann@example.com")
    refused = web.get(f"/api/users/{other}/export", headers=ann)
    assert refused.status_code == 403 and refused.json()["code"] == "not_allowed"
    admin = bearer(runtime, "root@example.com", role=Role.ADMIN)
    assert web.get(f"/api/users/{other}/export", headers=admin).json()["profile"][
        "email"] == "bob@example.com"
    assert web.get("/api/users/me/export").status_code == 401
    missing = web.get("/api/users/00000000-0000-4000-8000-000000000000/export",
                      headers=admin)
    assert missing.status_code == 404
