"""Errors as application/problem+json: tix's own from the shared table, a request that
does not validate (422 naming the field), anything unexpected (500, no trace); pages get
a page."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tix.web.app import create_app


def test_a_tix_error_is_a_problem_with_its_code_and_status(web_sqlite):
    answer = web_sqlite.get("/api/auth/me")
    assert answer.status_code == 401
    assert answer.headers["content-type"] == "application/problem+json"
    body = answer.json()
    assert body["type"] == "urn:tix:error:not_authenticated" and body["status"] == 401
    assert body["detail"] == "log in first" and body["instance"] == "/api/auth/me"


def test_a_missing_field_is_422_naming_it(web_sqlite):
    web_sqlite.token()
    answer = web_sqlite.post("/api/auth/login", json={"email": "ann@example.com"})
    assert answer.status_code == 422
    body = answer.json()
    assert body["field"] == "password" and body["code"] == "invalid"
    assert body["detail"].startswith("password: ")


def test_bad_json_is_422(web_sqlite):
    web_sqlite.token()
    answer = web_sqlite.post("/api/auth/login", content=b"{nope",
                             headers={"Content-Type": "application/json"})
    assert answer.status_code == 422 and answer.json()["field"] == "body"


def test_an_unknown_route_is_a_problem_and_a_page_for_a_browser(web_sqlite):
    assert web_sqlite.get("/api/nothing").json()["status"] == 404
    page = web_sqlite.get("/nothing", headers={"Accept": "text/html"})
    assert page.status_code == 404 and page.headers["content-type"].startswith("text/html")
    assert "Not found" in page.text and "<script" not in page.text


def test_an_unexpected_error_is_500_without_a_trace(sqlite_runtime):
    app = create_app(sqlite_runtime)

    @app.get("/api/boom")
    def boom() -> None:
        raise RuntimeError("secret detail of the failure")

    answer = TestClient(app, raise_server_exceptions=False).get("/api/boom")
    assert answer.status_code == 500
    assert answer.json() == {"type": "urn:tix:error:internal", "title": "Internal error",
                             "status": 500, "detail": "internal error", "code": "internal"}
    assert "secret" not in answer.text
    assert answer.headers["content-security-policy"]  # headers on a failure too


def test_the_openapi_document_and_a_docs_page_without_foreign_scripts(web_sqlite):
    schema = web_sqlite.get("/api/openapi.json").json()
    for path in ("/api/auth/login", "/api/events", "/api/events/suggestions",
                 "/api/tickets/validate-availability", "/api/orders", "/api/orders/{order}",
                 "/api/orders/{order}/cancel", "/api/payments/confirm",
                 "/api/payments/webhook", "/api/tickets", "/api/tickets/{ticket_id}/pdf",
                 "/api/notifications/resend", "/api/users/{user_id}/export",
                 "/api/users/{user_id}"):
        assert path in schema["paths"], path
    page = web_sqlite.get("/api/docs")
    assert page.status_code == 200 and "/api/openapi.json" in page.text
    assert "<script" not in page.text and "/api/payments/confirm" in page.text


def test_a_body_too_large_is_refused_unread(web_sqlite):
    web_sqlite.token()
    answer = web_sqlite.post("/api/auth/login", content=b"x" * (2 << 20),
                             headers={"Content-Type": "application/json"})
    assert answer.status_code == 413 and answer.json()["code"] == "too_large"
    assert answer.headers["content-security-policy"]
