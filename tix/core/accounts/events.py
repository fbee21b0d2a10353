"""Messages the accounts module publishes."""

from __future__ import annotations

from dataclasses import dataclass

from tix.core.messages import Message


@dataclass(frozen=True, kw_only=True)
class UserRegistered(Message):
    user_id: str
    role: str


@dataclass(frozen=True, kw_only=True)
class VerificationRequested(Message):
    user_id: str
    email: str
    name: str
    token: str
    expires_at: str


@dataclass(frozen=True, kw_only=True)
class PasswordResetRequested(Message):
    user_id: str
    email: str
    name: str
    token: str
    expires_at: str


@dataclass(frozen=True, kw_only=True)
class PasswordChanged(Message):
    user_id: str
    email: str
    name: str


@dataclass(frozen=True, kw_only=True)
class AccountLocked(Message):
    user_id: str
    email: str
    name: str


@dataclass(frozen=True, kw_only=True)
class AccountErased(Message):
    """Other modules wipe what they hold about the user (holder names, future tickets)."""

    user_id: str
