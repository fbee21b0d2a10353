"""The one table from errors to exit codes and HTTP statuses (CLI.md), and what an error
carries for the faces to render: its code, its detail, the field it names."""

from __future__ import annotations

import pytest

from tix.cli.errors import line
from tix.core.errors import (
    Busy,
    EntryRefused,
    Invalid,
    NotAllowed,
    NotAuthenticated,
    NotFound,
    RuleViolation,
    TixError,
    Unavailable,
)
from tix.error_table import exit_code, http_status, problem, retry_after


@pytest.mark.parametrize(("error", "code", "status"), [
    (Invalid("bad"), 2, 400),
    (Invalid("2 names for 1 ticket(s)", field="holders"), 2, 422),
    (NotAuthenticated("log in first"), 3, 401),
    (NotAllowed("not yours"), 3, 403),
    (NotFound("order", "TIX-1"), 4, 404),
    (RuleViolation("sold out", code="sold_out"), 5, 409),
    (RuleViolation("too many holds", code="rate_limited", retry_after=30), 5, 429),
    (EntryRefused("unknown ticket", code="unknown_ticket"), 5, 409),
    (Unavailable("the database is not answering"), 6, 503),
    (Busy("try again"), 7, 503),
    (TixError("something else"), 1, 500),
])
def test_every_error_has_one_exit_code_and_one_http_status(error: TixError, code: int,
                                                           status: int) -> None:
    assert exit_code(error) == code
    assert http_status(error) == status


def test_retry_after_for_a_busy_lock_and_a_rate_limit_only() -> None:
    assert retry_after(Busy("try again")) == 1
    assert retry_after(RuleViolation("too many", code="rate_limited", retry_after=30)) == 30
    assert retry_after(RuleViolation("sold out", code="sold_out")) is None


def test_a_problem_body_carries_the_stable_code_and_the_detail() -> None:
    error = Invalid("2 names for 1 ticket(s)", field="holders", names=2, quantity=1)
    assert problem(error, instance="/api/orders") == {
        "type": "urn:tix:error:invalid", "title": "Invalid input", "status": 422,
        "detail": "2 names for 1 ticket(s)", "code": "invalid", "instance": "/api/orders",
        "field": "holders", "names": 2, "quantity": 1}
    limited = problem(RuleViolation("too many holds", code="rate_limited", retry_after=9))
    assert (limited["status"], limited["title"], limited["retry_after"]) == (
        429, "Too many requests", 9)


def test_the_existing_constructors_keep_working() -> None:
    found = NotFound("order", "TIX-1")
    assert (found.message, found.code, found.what, found.key) == (
        "order TIX-1 not found", "not_found", "order", "TIX-1")
    assert found.detail == {"what": "order", "key": "TIX-1"}
    refused = RuleViolation("sold out", code="sold_out")
    assert (refused.code, refused.detail) == ("sold_out", {})
    assert Invalid("bad").field is None and Invalid("bad").code == "invalid"


def test_reworded_keeps_class_code_and_detail() -> None:
    error = Invalid("price: too large", field="price", code="too_large", limit=10)
    located = error.reworded("event.yaml:3: price: too large")
    assert isinstance(located, Invalid) and str(located) == located.message
    assert (located.code, located.field, located.detail) == (
        "too_large", "price", {"field": "price", "limit": 10})
    assert error.message == "price: too large"  # the original is left as it was
    assert NotFound("order", "TIX-1").reworded("x").what == "order"


def test_the_cli_says_an_error_in_its_own_words() -> None:
    assert line(Invalid("2 names for 1 ticket(s)", field="holders")) == (
        "--holder: 2 names for 1 ticket(s)")
    assert line(Invalid("name must not be empty", field="name")) == "name must not be empty"
    assert line(EntryRefused("unknown ticket", code="unknown_ticket")) == (
        "REFUSED: unknown ticket")
    assert "tix account forgot-password" in line(
        NotAuthenticated("account locked", code="account_locked"))
