"""Users, account tokens and sessions in SQL."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ColumnElement, exc, exists, select, update
from sqlalchemy import delete as sql_delete
from sqlalchemy.orm import Session

from tix.adapters.crypto import FieldCipher
from tix.adapters.db.rows.accounts import AccountTokenRow, SessionRow, UserRow
from tix.adapters.db.rows.catalog import EventRow, EventTeamRow
from tix.adapters.db.rows.inventory import HoldRow
from tix.adapters.db.rows.orders import OrderRow, TillRow
from tix.adapters.db.sql import one_of
from tix.core.accounts.model import NO_PASSWORD, AccountToken, Contact, TokenPurpose, User
from tix.core.accounts.model import Session as UserSession
from tix.core.errors import RuleViolation
from tix.core.inventory.model import HoldStatus
from tix.core.principal import Role


class SqlUsers:
    """Users, with email, name and date of birth encrypted and email found by blind index."""

    def __init__(self, session: Session, cipher: FieldCipher) -> None:
        self._session = session
        self._cipher = cipher

    def add(self, user: User) -> None:
        seal = self._cipher.encrypt
        self._session.add(UserRow(
            id=user.id, email=seal(user.email), email_key=self._cipher.blind_index(user.email),
            name=seal(user.name),
            date_of_birth=seal(user.date_of_birth.isoformat()) if user.date_of_birth else None,
            password_hash=user.password_hash,
            role=user.role.value, created_at=user.created_at, verified_at=user.verified_at,
            failed_logins=user.failed_logins, locked_at=user.locked_at))
        try:
            self._session.flush()
        except exc.IntegrityError:
            raise RuleViolation(f"{user.email} is already registered",
                                code="already_registered") from None

    def get(self, user_id: str, *, lock: bool = False) -> User | None:
        return self._one(UserRow.id == user_id, lock)

    def by_email(self, email: str, *, lock: bool = False) -> User | None:
        # Rows from before encryption keep the lower-cased address as their key until
        # `tix admin rotate-key` moves them to the blind index.
        keys = [*self._cipher.blind_indexes(email), email.strip().lower()]
        return self._one(UserRow.email_key.in_(keys), lock)

    def save(self, user: User) -> None:
        seal = self._cipher.encrypt
        self._session.execute(update(UserRow).where(UserRow.id == user.id).values(
            email=seal(user.email), email_key=self._cipher.blind_index(user.email),
            name=seal(user.name),
            date_of_birth=seal(user.date_of_birth.isoformat()) if user.date_of_birth else None,
            role=user.role.value, password_hash=user.password_hash, erased_at=user.erased_at,
            verified_at=user.verified_at, failed_logins=user.failed_logins,
            locked_at=user.locked_at))

    def emails_of_role(self, role: str) -> list[str]:
        rows = self._session.scalars(select(UserRow.email).where(UserRow.role == role))
        return [self._cipher.decrypt(email) for email in rows]

    def contacts(self, user_ids: list[str]) -> dict[str, Contact]:
        rows = self._session.execute(select(UserRow.id, UserRow.email, UserRow.name,
                                            UserRow.erased_at)
                                     .where(one_of(self._session, UserRow.id, user_ids)))
        plain = self._cipher.decrypt
        return {row.id: Contact(row.id, plain(row.email), plain(row.name),
                                erased=row.erased_at is not None) for row in rows}

    def idle_visits(self, made_before: datetime, limit: int) -> list[str]:
        mine = UserRow.id
        query = (select(UserRow.id)
                 .where(UserRow.password_hash == NO_PASSWORD, UserRow.role == Role.CUSTOMER,
                        UserRow.created_at < made_before,
                        exists().where(SessionRow.user_id == mine),  # a visit's session...
                        ~exists().where(SessionRow.user_id == mine,  # ...over
                                        SessionRow.revoked_at.is_(None),
                                        SessionRow.expires_at > made_before),
                        ~exists().where(OrderRow.user_id == mine),
                        ~exists().where(HoldRow.user_id == mine,
                                        HoldRow.status == HoldStatus.ACTIVE.value),
                        ~exists().where(EventTeamRow.user_id == mine),
                        ~exists().where(EventRow.organizer_id == mine),
                        ~exists().where(TillRow.clerk_id == mine))
                 .order_by(UserRow.created_at).limit(limit))
        return list(self._session.scalars(query))

    def delete(self, user_ids: list[str]) -> None:
        # the sessions and tokens go first: SQLite enforces no ON DELETE CASCADE unasked
        for table in (SessionRow, AccountTokenRow):
            self._session.execute(sql_delete(table).where(table.user_id.in_(user_ids)))
        self._session.execute(sql_delete(UserRow).where(UserRow.id.in_(user_ids)))

    def _one(self, condition: ColumnElement[bool], lock: bool) -> User | None:
        query = select(UserRow).where(condition)
        if lock:
            query = query.with_for_update()
        row = self._session.scalars(query).one_or_none()
        return None if row is None else self._user(row)

    def _user(self, row: UserRow) -> User:
        plain = self._cipher.decrypt
        born = plain(row.date_of_birth) if row.date_of_birth else None
        return User(id=row.id, email=plain(row.email), name=plain(row.name),
                    date_of_birth=date.fromisoformat(born) if born else None,
                    password_hash=row.password_hash, role=Role(row.role),
                    created_at=row.created_at, verified_at=row.verified_at,
                    failed_logins=row.failed_logins, locked_at=row.locked_at,
                    erased_at=row.erased_at)


class SqlAccountTokens:
    def __init__(self, session: Session) -> None:
        self._session = session

    def add(self, token: AccountToken) -> None:
        self._session.add(AccountTokenRow(
            id=token.id, user_id=token.user_id, purpose=token.purpose.value,
            token_hash=token.token_hash, created_at=token.created_at,
            expires_at=token.expires_at, used_at=token.used_at))

    def find(self, purpose: TokenPurpose, token_hash: str, *, lock: bool = False
             ) -> AccountToken | None:
        query = select(AccountTokenRow).where(AccountTokenRow.purpose == purpose.value,
                                              AccountTokenRow.token_hash == token_hash)
        if lock:
            query = query.with_for_update()
        row = self._session.scalars(query).one_or_none()
        if row is None:
            return None
        return AccountToken(id=row.id, user_id=row.user_id, purpose=TokenPurpose(row.purpose),
                            token_hash=row.token_hash, created_at=row.created_at,
                            expires_at=row.expires_at, used_at=row.used_at)

    def mark_used(self, token_id: str, now: datetime) -> bool:
        result = self._session.execute(
            update(AccountTokenRow)
            .where(AccountTokenRow.id == token_id, AccountTokenRow.used_at.is_(None))
            .values(used_at=now))
        return bool(result.rowcount)  # type: ignore[attr-defined]

    def retire_all(self, user_id: str, purpose: TokenPurpose, now: datetime) -> None:
        self._session.execute(
            update(AccountTokenRow)
            .where(AccountTokenRow.user_id == user_id,
                   AccountTokenRow.purpose == purpose.value,
                   AccountTokenRow.used_at.is_(None))
            .values(used_at=now))


class SqlSessions:
    def __init__(self, session: Session) -> None:
        self._session = session

    def add(self, session: UserSession) -> None:
        self._session.add(SessionRow(
            id=session.id, user_id=session.user_id, created_at=session.created_at,
            expires_at=session.expires_at, revoked_at=session.revoked_at, host=session.host))

    def get(self, session_id: str) -> UserSession | None:
        row = self._session.get(SessionRow, session_id)
        if row is None:
            return None
        return UserSession(id=row.id, user_id=row.user_id, created_at=row.created_at,
                           expires_at=row.expires_at, host=row.host,
                           revoked_at=row.revoked_at)

    def revoke(self, session_id: str, now: datetime) -> None:
        self._session.execute(update(SessionRow).where(
            SessionRow.id == session_id, SessionRow.revoked_at.is_(None)
        ).values(revoked_at=now))

    def active_ids(self, user_id: str, now: datetime) -> list[str]:
        return list(self._session.scalars(select(SessionRow.id).where(
            SessionRow.user_id == user_id, SessionRow.revoked_at.is_(None),
            SessionRow.expires_at > now)))

    def of_user(self, user_id: str) -> list[UserSession]:
        rows = self._session.scalars(select(SessionRow).where(SessionRow.user_id == user_id)
                                     .order_by(SessionRow.created_at))
        return [UserSession(id=r.id, user_id=r.user_id, created_at=r.created_at,
                            expires_at=r.expires_at, host=r.host, revoked_at=r.revoked_at)
                for r in rows]

    def revoke_all(self, user_id: str, now: datetime) -> list[str]:
        ids = self.active_ids(user_id, now)
        if ids:
            self._session.execute(update(SessionRow).where(SessionRow.id.in_(ids))
                                  .values(revoked_at=now))
        return ids
