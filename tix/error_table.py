"""One table from tix's errors to what each face answers: the CLI's exit code, the HTTP
status of the listener and the coming REST API, and an `application/problem+json` body.

The exit codes are the public contract of CLI.md (0 ok · 1 internal · 2 invalid · 3 not
logged in or not allowed · 4 not found · 5 refused by a rule · 6 unavailable · 7 busy);
the HTTP statuses follow from the same rows (CLI.md: 2 → 400/422, 3 → 401/403, 4 → 404,
5 → 409, 6 → 503, 7 → 503 with Retry-After, rate limits → 429). A face looks an error up
here instead of keeping its own `isinstance` ladder, so the faces cannot drift apart.

Face-neutral: it imports the core's errors and nothing of any face or adapter.
"""

from __future__ import annotations

from dataclasses import dataclass
from http import HTTPStatus

from tix.core.errors import (
    Busy,
    Detail,
    Invalid,
    NotAllowed,
    NotAuthenticated,
    NotFound,
    RuleViolation,
    TixError,
    Unavailable,
)

OK = 0
INTERNAL = 1
INVALID = 2
NOT_ALLOWED = 3
NOT_FOUND = 4
REFUSED = 5
UNAVAILABLE = 6
BUSY = 7

RATE_LIMITED = "rate_limited"
"""The code of a refusal for asking too often: 429 on HTTP, still exit 5 on the CLI."""

BUSY_RETRY_AFTER = 1
"""Seconds a client waits before retrying a call that timed out on a lock (it is safe)."""

PROBLEM_JSON = "application/problem+json"


@dataclass(frozen=True)
class Row:
    kind: type[TixError]
    exit_code: int
    status: HTTPStatus
    title: str


# First match wins: subclasses (EntryRefused is a RuleViolation) need no row of their own.
_TABLE: tuple[Row, ...] = (
    Row(Invalid, INVALID, HTTPStatus.BAD_REQUEST, "Invalid input"),
    Row(NotAuthenticated, NOT_ALLOWED, HTTPStatus.UNAUTHORIZED, "Not logged in"),
    Row(NotAllowed, NOT_ALLOWED, HTTPStatus.FORBIDDEN, "Not allowed"),
    Row(NotFound, NOT_FOUND, HTTPStatus.NOT_FOUND, "Not found"),
    Row(RuleViolation, REFUSED, HTTPStatus.CONFLICT, "Refused"),
    Row(Unavailable, UNAVAILABLE, HTTPStatus.SERVICE_UNAVAILABLE, "Service unavailable"),
    Row(Busy, BUSY, HTTPStatus.SERVICE_UNAVAILABLE, "Busy, safe to retry"),
)
_INTERNAL = Row(TixError, INTERNAL, HTTPStatus.INTERNAL_SERVER_ERROR, "Internal error")


def _row(error: TixError) -> Row:
    return next((row for row in _TABLE if isinstance(error, row.kind)), _INTERNAL)


def exit_code(error: TixError) -> int:
    """The CLI's exit code for `error` (CLI.md)."""
    return _row(error).exit_code


def http_status(error: TixError) -> HTTPStatus:
    """The HTTP status for `error`. Bad input naming a field is 422 (the request was well
    formed, a value in it is not); a refusal for asking too often is 429."""
    if isinstance(error, Invalid) and error.field is not None:
        return HTTPStatus.UNPROCESSABLE_ENTITY
    if isinstance(error, RuleViolation) and error.code == RATE_LIMITED:
        return HTTPStatus.TOO_MANY_REQUESTS
    return _row(error).status


def retry_after(error: TixError) -> int | None:
    """Seconds for a Retry-After header, or None when retrying will not help by itself."""
    if isinstance(error, Busy):
        return BUSY_RETRY_AFTER
    if error.code == RATE_LIMITED:
        seconds = error.detail.get("retry_after")
        return seconds if isinstance(seconds, int) and not isinstance(seconds, bool) else None
    return None


_RESERVED = frozenset({"type", "title", "status", "detail", "code", "instance"})


def problem(error: TixError, *, instance: str | None = None) -> dict[str, Detail]:
    """An RFC 9457 `application/problem+json` body: the type names the stable code (the
    same as `--json` shows), the detail is the error's message, and its structured detail
    (field, limit, left, …) comes as extension members beside them."""
    status = http_status(error)
    body: dict[str, Detail] = {
        "type": f"urn:tix:error:{error.code}",
        "title": "Too many requests" if status is HTTPStatus.TOO_MANY_REQUESTS
        else _row(error).title,
        "status": int(status),
        "detail": error.message,
        "code": error.code,
    }
    if instance is not None:
        body["instance"] = instance
    body.update({k: v for k, v in error.detail.items() if k not in _RESERVED})
    return body
