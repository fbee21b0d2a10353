"""Domain errors. Each has a stable `code` for scripts and a human `message`.

The faces own the mapping to exit codes (see CLI.md); the core only says what went wrong.
"""

from __future__ import annotations


class TixError(Exception):
    code = "error"

    def __init__(self, message: str, *, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code


class Invalid(TixError):
    """Bad input: the caller can fix it."""

    code = "invalid"


class NotAuthenticated(TixError):
    code = "not_authenticated"


class NotAllowed(TixError):
    code = "not_allowed"


class NotFound(TixError):
    code = "not_found"

    def __init__(self, what: str, key: object) -> None:
        super().__init__(f"{what} {key} not found")
        self.what = what
        self.key = key


class RuleViolation(TixError):
    """Refused by a business rule: sold out, over the limit, expired, locked, ..."""

    code = "refused"


class Unavailable(TixError):
    """An external service (database, SMTP, Stripe, Redis) cannot be reached."""

    code = "unavailable"


class Busy(TixError):
    """A lock wait timed out; the same call is safe to retry."""

    code = "busy"
