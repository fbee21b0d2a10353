"""What every response says to the browser, the session cookie's flags, and the CSRF
token a state-changing request of a browser must carry."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.support import PASSWORD, user
from tests.web.conftest import Browser
from tix.web.app import create_app


def test_every_response_carries_the_security_headers(web_sqlite):
    for path in ("/healthz", "/api/auth/me", "/no-such-page", "/api/openapi.json"):
        headers = web_sqlite.get(path).headers
        csp = headers["content-security-policy"]
        assert "script-src 'self' https://js.stripe.com;" in csp
        assert "frame-ancestors 'none'" in csp and "'unsafe-inline'" not in csp
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["referrer-policy"] == "same-origin"
        assert "strict-transport-security" not in headers  # plain HTTP: no HSTS


def test_hsts_and_secure_cookies_over_tls(tls_web):
    user(tls_web.app.state.runtime, "ann@example.com")
    tls_web.log_in("ann@example.com")
    answer = tls_web.get("/api/auth/csrf")
    assert answer.headers["strict-transport-security"].startswith("max-age=")


def test_the_session_cookie_is_httponly_strict_and_secure_over_tls(tls_web):
    user(tls_web.app.state.runtime, "ann@example.com")
    tls_web.token()
    answer = tls_web.post("/api/auth/login", json={"email": "ann@example.com",
                                                    "password": PASSWORD})
    cookie = next(c for c in answer.headers.get_list("set-cookie")
                  if c.startswith("tix_session="))
    flags = {f.strip().split("=")[0].lower() for f in cookie.split(";")}
    assert {"httponly", "secure", "path", "max-age"} <= flags
    assert "SameSite=Strict" in cookie
    assert "Max-Age=3600" in cookie  # an hour without remember-me


def test_remember_me_keeps_the_cookie_30_days_and_plain_http_has_no_secure(web_sqlite):
    user(web_sqlite.app.state.runtime, "ann@example.com")
    web_sqlite.token()
    answer = web_sqlite.post("/api/auth/login", json={
        "email": "ann@example.com", "password": PASSWORD, "remember_me": True})
    cookie = next(c for c in answer.headers.get_list("set-cookie")
                  if c.startswith("tix_session="))
    assert f"Max-Age={30 * 24 * 3600}" in cookie and "Secure" not in cookie


def test_a_trusted_proxy_saying_https_makes_the_cookie_secure(make_runtime, sqlite_runtime):
    for trusted, secure in ((False, False), (True, True)):
        runtime = make_runtime(sqlite_runtime.settings.database_url, trust_proxy=trusted)
        client = Browser(create_app(runtime), base_url="http://shop.test",
                         headers={"X-Forwarded-Proto": "https"})
        cookie = client.get("/api/auth/csrf").headers["set-cookie"]
        assert ("Secure" in cookie) is secure
        assert ("strict-transport-security" in client.get("/healthz").headers) is secure


def test_a_state_changing_request_of_a_cookie_session_without_the_token_is_refused(
        web_sqlite):
    user(web_sqlite.app.state.runtime, "ann@example.com")
    web_sqlite.log_in("ann@example.com")
    del web_sqlite.headers["X-XSRF-TOKEN"]
    answer = web_sqlite.post("/api/auth/logout")
    assert answer.status_code == 403
    assert answer.headers["content-type"] == "application/problem+json"
    assert answer.json()["code"] == "csrf_failed"
    assert web_sqlite.get("/api/auth/me").status_code == 200  # still logged in
    answer = web_sqlite.post("/api/auth/logout", headers={"X-XSRF-TOKEN": "forged"})
    assert answer.status_code == 403


def test_the_token_works_as_a_form_field_and_after_a_session_begins(web_sqlite):
    token = web_sqlite.token()
    del web_sqlite.headers["X-XSRF-TOKEN"]
    user(web_sqlite.app.state.runtime, "ann@example.com")
    answer = web_sqlite.post("/api/auth/logout", data={"csrf_token": token})
    assert answer.status_code == 200, answer.text
    web_sqlite.headers["X-XSRF-TOKEN"] = token  # the page's token, once logged in
    web_sqlite.post("/api/auth/login", json={"email": "ann@example.com",
                                             "password": PASSWORD})
    assert web_sqlite.post("/api/auth/logout").status_code == 200


def test_a_cross_site_request_without_cookies_is_refused(web_sqlite):
    answer = web_sqlite.post("/api/auth/logout",
                             headers={"Origin": "https://evil.example"})
    assert answer.status_code == 403


def test_a_script_with_a_bearer_token_needs_no_csrf_token(sqlite_runtime):
    user(sqlite_runtime, "ann@example.com")
    client = TestClient(create_app(sqlite_runtime), base_url="http://shop.test")
    login = client.post("/api/auth/login", json={"email": "ann@example.com",
                                                 "password": PASSWORD, "bearer": True})
    assert login.status_code == 200 and "set-cookie" not in login.headers
    headers = {"Authorization": f"Bearer {login.json()['token']}"}
    assert client.get("/api/auth/me", headers=headers).json()["email"] == "ann@example.com"
    assert client.post("/api/auth/logout", headers=headers).status_code == 200
    assert client.get("/api/auth/me", headers=headers).status_code == 401


def test_a_session_begun_by_a_script_tells_it_the_csrf_token(web_sqlite):
    """A visitor's first hold (no page loaded): the answer carries the session's token."""
    from tests.catalog_support import an_event

    runtime = web_sqlite.app.state.runtime
    standing = runtime.catalog.show(an_event(runtime)).ticket_types[0]
    held = web_sqlite.post("/api/tickets/validate-availability",
                           json={"items": [{"ticket_type": standing.id, "quantity": 1}]})
    assert held.status_code == 201
    token = held.headers["x-xsrf-token"]
    assert web_sqlite.post("/api/auth/logout").status_code == 403  # the cookie needs it now
    assert web_sqlite.post("/api/auth/logout",
                           headers={"X-XSRF-TOKEN": token}).status_code == 200
