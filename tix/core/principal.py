"""Who is calling: the principal every use case is asked on behalf of, and the roles.

Every module of the core authorizes by it, so it belongs to none of them: accounts makes
principals from sessions, the others only read them.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from tix.core.errors import Invalid, NotAllowed


class Role(StrEnum):
    CUSTOMER = "customer"
    ORGANIZER = "organizer"
    CLERK = "clerk"
    ADMIN = "admin"

    @classmethod
    def parse(cls, value: str) -> Role:
        try:
            return cls(value.strip().lower())
        except ValueError:
            roles = ", ".join(r.value for r in cls)
            raise Invalid(f"unknown role {value!r}; choose one of {roles}") from None


@dataclass(frozen=True)
class Principal:
    """Who is calling: the user behind a valid session."""

    user_id: str
    email: str
    name: str
    role: Role
    session_id: str

    def has_role(self, *roles: Role) -> bool:
        return self.role in roles or self.role is Role.ADMIN

    def require(self, *roles: Role) -> None:
        if not self.has_role(*roles):
            wanted = " or ".join(r.value for r in roles)
            raise NotAllowed(f"this needs the {wanted} role; you are {self.role.value}")


UNDELIVERABLE = ".invalid"
"""The reserved top-level domain (RFC 2606) of the addresses tix gives accounts that have
none: a web visitor before checkout, a walk-in who gave no email. No mail goes there."""


def is_undeliverable(email: str) -> bool:
    return email.endswith(UNDELIVERABLE)


@dataclass(frozen=True)
class Buyer:
    """Whom an order is for when it is not the caller: a guest at the web shop (their email,
    their account made on the spot) or a walk-in at the counter. Mails, the per-person limit
    and My orders follow the buyer; the caller is who placed the order."""

    user_id: str
    email: str
    name: str

