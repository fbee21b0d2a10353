"""The account aggregate and the rules that belong to it."""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

from tix.core.errors import Invalid
from tix.core.principal import Role

MAX_FAILED_LOGINS = 3
PASSWORD_MIN_LENGTH = 12
PASSWORD_MAX_BYTES = 72  # bcrypt's limit; longer passwords would be cut silently elsewhere
NAME_MAX_LENGTH = 200
OLDEST_BIRTH_YEAR = 1900
NO_PASSWORD = "!"  # matches no password: a guest's account, or an erased one


@dataclass(frozen=True)
class Contact:
    """Whom to write to about an order or an event: a user's address and name."""

    user_id: str
    email: str
    name: str
    erased: bool = False


class TokenPurpose(StrEnum):
    VERIFY_EMAIL = "verify_email"
    RESET_PASSWORD = "reset_password"


@dataclass
class User:
    id: str
    email: str
    name: str
    date_of_birth: date | None
    password_hash: str
    role: Role
    created_at: datetime
    verified_at: datetime | None = None
    failed_logins: int = 0
    locked_at: datetime | None = None
    erased_at: datetime | None = None

    @property
    def is_erased(self) -> bool:
        return self.erased_at is not None

    @property
    def is_guest(self) -> bool:
        """An account made for a buyer who gave only an email (or none): it has no
        password until its owner registers with that email and verifies it."""
        return self.password_hash == NO_PASSWORD and not self.is_erased

    def erase(self, now: datetime) -> None:
        """GDPR erasure: every personal field wiped for good, login made impossible."""
        self.email = f"erased-{self.id}@erased.invalid"
        self.name = "(erased)"
        self.date_of_birth = None
        self.password_hash = NO_PASSWORD
        self.erased_at = now

    @property
    def is_verified(self) -> bool:
        return self.verified_at is not None

    @property
    def is_locked(self) -> bool:
        return self.locked_at is not None

    def record_failed_login(self, now: datetime) -> bool:
        """Count a wrong password; True when this failure locks the account."""
        self.failed_logins += 1
        if self.failed_logins >= MAX_FAILED_LOGINS and not self.is_locked:
            self.locked_at = now
            return True
        return False

    def record_successful_login(self) -> None:
        self.failed_logins = 0

    def unlock(self) -> None:
        self.failed_logins = 0
        self.locked_at = None


@dataclass
class AccountToken:
    """A single-use secret sent by mail; only its hash is stored."""

    id: str
    user_id: str
    purpose: TokenPurpose
    token_hash: str
    created_at: datetime
    expires_at: datetime
    used_at: datetime | None = None

    def usable_at(self, now: datetime) -> bool:
        return self.used_at is None and now < self.expires_at


@dataclass
class Session:
    id: str
    user_id: str
    created_at: datetime
    expires_at: datetime
    host: str = ""
    revoked_at: datetime | None = None

    def active_at(self, now: datetime) -> bool:
        return self.revoked_at is None and now < self.expires_at


def new_secret_token() -> str:
    """256 random bits as hex: a URL-safe token could start with "-", which a shell
    command (`tix account verify -Abc…`) would take for an option."""
    return secrets.token_hex(32)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def check_password_rules(password: str) -> None:
    problems = []
    if len(password) < PASSWORD_MIN_LENGTH:
        problems.append(f"at least {PASSWORD_MIN_LENGTH} characters")
    if not re.search(r"[a-z]", password):
        problems.append("a lower-case letter")
    if not re.search(r"[A-Z]", password):
        problems.append("an upper-case letter")
    if not re.search(r"\d", password):
        problems.append("a digit")
    if not re.search(r"[^A-Za-z0-9]", password):
        problems.append("a special character")
    if problems:
        raise Invalid("password needs " + ", ".join(problems), field="password",
                      code="weak_password")
    if len(password.encode()) > PASSWORD_MAX_BYTES:
        raise Invalid(f"password is longer than {PASSWORD_MAX_BYTES} bytes", field="password",
                      code="weak_password", limit=PASSWORD_MAX_BYTES)


def check_name(name: str) -> str:
    cleaned = " ".join(name.split())
    if not cleaned:
        raise Invalid("name must not be empty", field="name")
    if len(cleaned) > NAME_MAX_LENGTH:
        raise Invalid(f"name is longer than {NAME_MAX_LENGTH} characters", field="name",
                      limit=NAME_MAX_LENGTH)
    return cleaned


def check_date_of_birth(value: date, today: date) -> date:
    if value >= today:
        raise Invalid("date of birth must be in the past", field="date_of_birth")
    if value.year < OLDEST_BIRTH_YEAR:
        raise Invalid(f"date of birth must be after {OLDEST_BIRTH_YEAR}", field="date_of_birth")
    return value


def parse_date_of_birth(text: str, today: date) -> date:
    try:
        value = date.fromisoformat(text.strip())
    except ValueError:
        raise Invalid(f"date of birth {text!r} is not a date (YYYY-MM-DD)",
                      field="date_of_birth") from None
    return check_date_of_birth(value, today)


def session_lifetime(remember_me: bool) -> timedelta:
    return timedelta(days=30) if remember_me else timedelta(hours=1)
