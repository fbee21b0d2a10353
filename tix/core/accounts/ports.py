"""What the accounts module needs from storage."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from tix.core.accounts.model import AccountToken, Contact, Session, TokenPurpose, User


class Users(Protocol):
    def add(self, user: User) -> None:
        """Store a new user; raises RuleViolation if the email is taken."""
        ...

    def get(self, user_id: str, *, lock: bool = False) -> User | None: ...

    def by_email(self, email: str, *, lock: bool = False) -> User | None:
        """Case-insensitive lookup."""
        ...

    def save(self, user: User) -> None: ...

    def emails_of_role(self, role: str) -> list[str]: ...

    def contacts(self, user_ids: list[str]) -> dict[str, Contact]:
        """Address and name of each of these users that exists, in one read."""
        ...

    def idle_visits(self, made_before: datetime, limit: int) -> list[str]:
        """Accounts made for a web visit before `made_before` that hold nothing: no
        password, every session over by then, no order, no active hold, no team, event or
        till (a guest's account made at checkout has no session: not one of them)."""
        ...

    def delete(self, user_ids: list[str]) -> None:
        """Delete these accounts with their sessions and tokens."""
        ...


class AccountTokens(Protocol):
    def add(self, token: AccountToken) -> None: ...

    def find(self, purpose: TokenPurpose, token_hash: str, *, lock: bool = False
             ) -> AccountToken | None: ...

    def mark_used(self, token_id: str, now: datetime) -> bool:
        """True if this call used the token (it was unused)."""
        ...

    def retire_all(self, user_id: str, purpose: TokenPurpose, now: datetime) -> None:
        """Make every unused token of that purpose unusable."""
        ...


class Sessions(Protocol):
    def add(self, session: Session) -> None: ...

    def get(self, session_id: str) -> Session | None: ...

    def revoke(self, session_id: str, now: datetime) -> None: ...

    def active_ids(self, user_id: str, now: datetime) -> list[str]: ...

    def of_user(self, user_id: str) -> list[Session]: ...

    def revoke_all(self, user_id: str, now: datetime) -> list[str]:
        """Revoke every active session of the user; returns their ids."""
        ...
