"""Domain errors: what went wrong, in words and as data every face can render its own way.

Every error has
- a `message`: plain English that names no face (no `--holder`, no form field, no HTTP);
- a stable `code` for scripts ("sold_out", "over_limit", "rate_limited"; the class's
  default when the raise site gives none);
- a `detail`: plain values (str, int, bool) saying more, e.g. `limit=4`, `left=2`,
  `retry_after=30` (seconds).

`Invalid` also names the input at fault in face-neutral words with `field` ("holders",
"quantity", "email", "date_of_birth", "ticket_types"): the CLI renders it as its flag
("--holder: …"), a web form highlights its field. A door's verdict is an `EntryRefused`:
the CLI writes "REFUSED: …", the box office shows it in block letters.

    raise Invalid("2 names for 1 ticket(s)", field="holders", names=2, quantity=1)
    raise RuleViolation("only 2 left", code="sold_out", left=2)
    raise NotFound("order", reference)          # detail: what="order", key=reference

The faces own the mapping to exit codes and HTTP statuses (`tix.error_table`, CLI.md);
the core only says what went wrong.
"""

from __future__ import annotations

from typing import Self

Detail = str | int | bool
"""A value of `TixError.detail`: plain, so it goes into JSON and a problem body as it is."""


class TixError(Exception):
    code = "error"

    def __init__(self, message: str, *, code: str | None = None, **detail: Detail) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code
        self.detail: dict[str, Detail] = detail

    def reworded(self, message: str) -> Self:
        """The same error (class, code, detail) saying `message`: for a caller that adds
        where it happened ("line 3: …") without losing what it was."""
        other = type(self).__new__(type(self))  # not copy.copy: it calls cls(*args)
        other.__dict__.update(self.__dict__)
        Exception.__init__(other, message)
        other.message = message
        other.detail = dict(self.detail)
        return other


class Invalid(TixError):
    """Bad input: the caller can fix it. `field` names the input, in no face's words."""

    code = "invalid"

    def __init__(self, message: str, *, field: str | None = None, code: str | None = None,
                 **detail: Detail) -> None:
        if field is not None:
            detail = {"field": field, **detail}
        super().__init__(message, code=code, **detail)
        self.field = field


class NotAuthenticated(TixError):
    code = "not_authenticated"


class NotAllowed(TixError):
    code = "not_allowed"


class NotFound(TixError):
    code = "not_found"

    def __init__(self, what: str, key: object, **detail: Detail) -> None:
        super().__init__(f"{what} {key} not found")
        self.detail = {"what": what, "key": str(key), **detail}
        self.what = what
        self.key = key


class RuleViolation(TixError):
    """Refused by a business rule: sold out, over the limit, expired, locked, ..."""

    code = "refused"


class EntryRefused(RuleViolation):
    """A ticket refused at the door (forged, unknown, voided, already in, another event):
    a verdict the faces show as such, not only an error line."""


class Unavailable(TixError):
    """An external service (database, SMTP, Stripe, Redis) cannot be reached."""

    code = "unavailable"


class Busy(TixError):
    """A lock wait timed out; the same call is safe to retry."""

    code = "busy"
