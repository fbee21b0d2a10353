"""The links in verification and reset mails, opened over a real socket on the daemon's
listener: from the mail the daemon delivered to a verified account or a new password."""

from __future__ import annotations

import base64
import hashlib
import logging
import re
import urllib.error
import urllib.request
from datetime import date, timedelta
from urllib.parse import urlencode, urlsplit

import pytest

from tests.support import PASSWORD, deliver, user
from tix.core.errors import NotAuthenticated
from tix.listener import Listener

NEW_PASSWORD = "Brand-new-pass-7?"


@pytest.fixture
def served(runtime):
    listener = Listener(runtime, "127.0.0.1", 0)
    listener.start()
    host, port = listener.address
    yield runtime, f"http://{host}:{port}"
    listener.stop()


def fetch(url: str, form: dict[str, str] | bytes | None = None
          ) -> tuple[int, dict[str, str], str]:
    data = urlencode(form).encode() if isinstance(form, dict) else form
    request = urllib.request.Request(url, data=data, method="GET" if data is None else "POST")
    try:
        with urllib.request.urlopen(request, timeout=5) as answer:
            return answer.status, dict(answer.headers), answer.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read().decode()


def link_in(mailer, email: str, path: str) -> str:
    """The link of the last mail to `email`, as the user would click it."""
    mail = mailer.last_to(email)
    link = re.search(r"https://tix\.test/\S+", mail.text).group(0)
    assert link.startswith(f"https://tix.test/{path}?token=")
    assert link in mail.html  # the same link in both parts
    return link


def opened(base: str, link: str) -> str:
    """The mail's public link, pointed at this test's listener."""
    parts = urlsplit(link)
    return f"{base}{parts.path}?{parts.query}"


def assert_guarded(headers: dict[str, str], page: str) -> None:
    assert headers["Content-Type"] == "text/html; charset=utf-8"
    assert headers["Cache-Control"] == "no-store"
    assert headers["Referrer-Policy"] == "no-referrer"
    assert headers["X-Frame-Options"] == "DENY"
    policy = headers["Content-Security-Policy"]
    assert "default-src 'none'" in policy and "frame-ancestors 'none'" in policy
    assert "script-src" not in policy and "unsafe-inline" not in policy
    # the page's one style block is the one the policy allows, by its hash
    [style] = re.findall(r"<style>(.*?)</style>", page, re.DOTALL)
    digest = base64.b64encode(hashlib.sha256(style.encode()).digest()).decode()
    assert f"style-src 'sha256-{digest}'" in policy
    assert "<script" not in page


def test_the_verification_link_verifies_the_account_once(served, mailer):
    runtime, base = served
    runtime.accounts.register(email="ann@example.com", password=PASSWORD, name="Ann Example",
                              date_of_birth=date(1990, 1, 2))
    deliver(runtime)
    mail = mailer.last_to("ann@example.com")
    assert re.search(r"tix account verify \S+", mail.text)  # the command stays in the mail
    link = link_in(mailer, "ann@example.com", "verify")
    with pytest.raises(NotAuthenticated, match="not verified"):
        runtime.accounts.login(email="ann@example.com", password=PASSWORD)

    status, headers, page = fetch(opened(base, link))
    assert status == 200, page
    assert "ann@example.com</strong> is verified" in page
    assert_guarded(headers, page)
    runtime.accounts.login(email="ann@example.com", password=PASSWORD)

    status, headers, page = fetch(opened(base, link))  # a token works once
    assert status == 410 and "already used" in page
    assert_guarded(headers, page)


def test_the_reset_link_sets_a_new_password(served, mailer, caplog):
    runtime, base = served
    caplog.set_level(logging.DEBUG, logger="tix.listener")
    user(runtime)
    runtime.accounts.forgot_password("ann@example.com")
    deliver(runtime)
    link = link_in(mailer, "ann@example.com", "reset")
    token = link.split("token=", 1)[1]

    status, headers, form = fetch(opened(base, link))
    assert status == 200, form
    assert_guarded(headers, form)
    assert '<form method="post" action="/reset">' in form  # the token goes in the body
    assert f'name="token" value="{token}"' in form
    assert form.count('type="password"') == 2

    status, _, again = fetch(f"{base}/reset", {"token": token, "password": NEW_PASSWORD,
                                               "confirm": NEW_PASSWORD + "x"})
    assert status == 400 and "the two passwords differ" in again and token in again
    status, _, again = fetch(f"{base}/reset", {"token": token, "password": "weak",
                                               "confirm": "weak"})
    assert status == 400 and "password needs at least 12 characters" in again  # the CLI's rule

    status, headers, done = fetch(f"{base}/reset", {"token": token, "password": NEW_PASSWORD,
                                                    "confirm": NEW_PASSWORD})
    assert status == 200 and "Password changed" in done
    assert_guarded(headers, done)
    runtime.accounts.login(email="ann@example.com", password=NEW_PASSWORD)
    with pytest.raises(NotAuthenticated):
        runtime.accounts.login(email="ann@example.com", password=PASSWORD)

    status, _, page = fetch(f"{base}/reset", {"token": token, "password": NEW_PASSWORD,
                                              "confirm": NEW_PASSWORD})
    assert status == 410 and "already used" in page  # single use
    assert fetch(opened(base, link))[0] == 410
    assert "GET /reset" in caplog.text and "POST /reset" in caplog.text
    assert token not in caplog.text  # neither the link nor the form is logged with its token


def test_expired_links_say_so(served, mailer, clock):
    runtime, base = served
    runtime.accounts.register(email="ann@example.com", password=PASSWORD, name="Ann Example",
                              date_of_birth=date(1990, 1, 2))
    user(runtime, "bob@example.com")
    runtime.accounts.forgot_password("bob@example.com")
    deliver(runtime)
    verify_link = link_in(mailer, "ann@example.com", "verify")
    reset_link = link_in(mailer, "bob@example.com", "reset")

    clock.advance(timedelta(minutes=16))  # a reset token lasts 15 minutes
    status, _, page = fetch(opened(base, reset_link))
    assert status == 410 and "This link has expired" in page
    assert "tix account forgot-password" in page  # and how to get a new one
    clock.advance(timedelta(hours=24))  # a verification token lasts 24 hours
    status, _, page = fetch(opened(base, verify_link))
    assert status == 410 and "tix account resend-verification" in page


def test_bad_links_and_forms_get_a_clear_page(served):
    _, base = served
    for path in ("/verify", "/reset"):
        status, headers, page = fetch(f"{base}{path}?token=nonsense")
        assert status == 404 and "This link is not known" in page
        assert_guarded(headers, page)
        status, _, page = fetch(f"{base}{path}")
        assert status == 400 and "this link carries no token" in page
    assert "Traceback" not in page

    # what a form echoes back is escaped, never markup
    status, _, page = fetch(f"{base}/reset", {"token": '"><b>x', "password": "weak",
                                              "confirm": "weak"})
    assert status == 400
    assert 'value="&quot;&gt;&lt;b&gt;x"' in page and '"><b>x' not in page
    status, _, page = fetch(f"{base}/reset", {"token": "nonsense", "password": NEW_PASSWORD,
                                              "confirm": NEW_PASSWORD})
    assert status == 404
    status, _, page = fetch(f"{base}/reset", b"token=\xff\xfe&password=x")
    assert status == 400 and "not valid UTF-8" in page
    assert fetch(f"{base}/reset", b"x" * 20_000)[0] == 413
