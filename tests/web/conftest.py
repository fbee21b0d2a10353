"""The web face in-process: the application built on the test runtime (both databases),
driven by Starlette's TestClient as a browser (cookies kept) or a script would."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.support import PASSWORD, user
from tix.bootstrap import Runtime
from tix.core.principal import Role
from tix.web.app import create_app


class Browser(TestClient):
    """A client that keeps cookies and sends the page's CSRF token as its scripts do."""

    def token(self) -> str:
        token: str = self.get("/api/auth/csrf").json()["csrf_token"]
        self.headers["X-XSRF-TOKEN"] = token
        return token

    def log_in(self, email: str, password: str = PASSWORD, **extra: Any) -> Any:
        self.token()
        answer = self.post("/api/auth/login", json={"email": email, "password": password,
                                                      **extra})
        assert answer.status_code == 200, answer.text
        return answer.json()


def bearer(runtime: Runtime, email: str = "ann@example.com", *,
           role: Role = Role.CUSTOMER) -> dict[str, str]:
    """Authorization headers of a new verified account of `role`."""
    user(runtime, email, role=role)
    token = runtime.accounts.login(email=email, password=PASSWORD).token
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def web(runtime: Runtime) -> Browser:
    return Browser(create_app(runtime), base_url="http://shop.test")


@pytest.fixture
def web_sqlite(sqlite_runtime: Runtime) -> Browser:
    """For rules of the web face that do not depend on the database."""
    return Browser(create_app(sqlite_runtime), base_url="http://shop.test")


@pytest.fixture
def tls_web(sqlite_runtime: Runtime) -> Browser:
    return Browser(create_app(sqlite_runtime), base_url="https://shop.test")
