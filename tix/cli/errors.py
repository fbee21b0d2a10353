"""Exit codes, the public contract scripts rely on (CLI.md)."""

from __future__ import annotations

from tix.core.errors import (
    Busy,
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

_CODES: list[tuple[type[TixError], int]] = [
    (Invalid, INVALID),
    (NotAuthenticated, NOT_ALLOWED),
    (NotAllowed, NOT_ALLOWED),
    (NotFound, NOT_FOUND),
    (RuleViolation, REFUSED),
    (Unavailable, UNAVAILABLE),
    (Busy, BUSY),
]


def exit_code(error: TixError) -> int:
    for kind, code in _CODES:
        if isinstance(error, kind):
            return code
    return INTERNAL
