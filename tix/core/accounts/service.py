"""Account use cases: register, verify, log in and out, reset passwords, administer."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from tix.core.accounts.events import (
    AccountLocked,
    PasswordChanged,
    PasswordResetRequested,
    UserRegistered,
    VerificationRequested,
)
from tix.core.accounts.model import (
    NO_PASSWORD,
    AccountToken,
    Session,
    TokenPurpose,
    User,
    check_date_of_birth,
    check_name,
    check_password_rules,
    hash_token,
    new_secret_token,
    session_lifetime,
)
from tix.core.audit.service import AuditService
from tix.core.clock import Clock
from tix.core.errors import NotAuthenticated, NotFound, RuleViolation
from tix.core.ids import new_id
from tix.core.inventory.public import forget_holds_of
from tix.core.ports import (
    AccessTokens,
    Cache,
    PasswordHasher,
    RateLimiter,
    UnitOfWork,
    UnitOfWorkFactory,
)
from tix.core.principal import UNDELIVERABLE, Buyer, Principal, Role
from tix.core.ratelimit import Rate, enforce, retry_seconds

VERIFICATION_TTL = timedelta(hours=24)
RESET_TTL = timedelta(minutes=15)
RESET_REQUESTS_PER_HOUR = 3
PRINCIPAL_CACHE_TTL = timedelta(minutes=5)
IDLE_VISIT_KEPT = timedelta(days=1)  # a visitor's account after its session: then deleted
FORGET_BATCH = 500
# Failed logins allowed before a source is told to wait: beyond the lockout of one account
# (3 in a row), these stop guessing across many accounts from one host, or slow guessing.
FAILED_LOGINS_PER_HOST = (20, timedelta(minutes=15))
FAILED_LOGINS_PER_EMAIL = (10, timedelta(hours=1))
# Visitors' sessions (accounts without email) one address may begin: a shop behind a
# proxy must say so (TIX_TRUST_PROXY), or every buyer shares the proxy's address.
VISITS_PER_HOST = Rate(120, timedelta(minutes=10))
WRONG_CREDENTIALS = "wrong email or password"


@dataclass(frozen=True)
class Login:
    token: str
    expires_at: datetime
    principal: Principal


@dataclass(frozen=True)
class AccountView:
    id: str
    email: str
    name: str
    role: str
    verified: bool
    locked: bool


class AccountService:
    def __init__(
        self,
        *,
        uow: UnitOfWorkFactory,
        clock: Clock,
        hasher: PasswordHasher,
        tokens: AccessTokens,
        cache: Cache,
        limiter: RateLimiter,
        normalize_email: Callable[[str], str],
        audit: AuditService,
    ) -> None:
        self._uow = uow
        self._clock = clock
        self._hasher = hasher
        self._tokens = tokens
        self._cache = cache
        self._limiter = limiter
        self._normalize_email = normalize_email
        self._audit = audit
        self._dummy: str | None = None

    # -- registration and verification -------------------------------------------------

    def register(self, *, email: str, password: str, name: str, date_of_birth: date | None,
                 role: Role = Role.CUSTOMER, verified: bool = False) -> str:
        now = self._clock.now()
        email = self._normalize_email(email)
        name = check_name(name)
        if date_of_birth is not None:
            check_date_of_birth(date_of_birth, now.date())
        check_password_rules(password)
        user = User(id=new_id(), email=email, name=name, date_of_birth=date_of_birth,
                    password_hash="", role=role, created_at=now,
                    verified_at=now if verified else None)
        with self._uow() as uow:
            existing = uow.users.by_email(email, lock=True)
            if existing is not None and not existing.is_guest:
                raise RuleViolation(f"{email} is already registered", code="already_registered")
            # Hash only once the cheap checks passed: bcrypt is deliberately slow.
            user.password_hash = self._hasher.hash(password)
            if existing is None:
                uow.users.add(user)
            else:  # a guest's account, its orders kept, becomes theirs once they verify
                user.id, user.created_at = existing.id, existing.created_at
                user.role = existing.role
                uow.users.save(user)
            uow.publish(UserRegistered(user_id=user.id, role=role.value))
            self._audit.record(uow, "account.registered", subject=f"user:{user.id}",
                               actor_id=user.id, actor=user.email,
                               details={"role": role.value, "verified": str(verified)})
            if not verified:
                self._issue_verification(uow, user, now)
            uow.commit()
        return user.id

    def verify_email(self, token: str) -> str:
        now = self._clock.now()
        with self._uow() as uow:
            record = self._usable_token(uow, TokenPurpose.VERIFY_EMAIL, token, now)
            user = uow.users.get(record.user_id, lock=True)
            if user is None:
                raise NotFound("user", record.user_id)
            uow.account_tokens.mark_used(record.id, now)
            if user.verified_at is None:
                user.verified_at = now
                uow.users.save(user)
                self._audit.record(uow, "email.verified", subject=f"user:{user.id}",
                                   actor_id=user.id, actor=user.email)
            uow.commit()
            return user.email

    def resend_verification(self, email: str) -> None:
        """Answers the same for unknown and already verified addresses."""
        now = self._clock.now()
        email = self._normalize_email(email)
        self._limit(f"verify:{email}", "verification mails")
        with self._uow() as uow:
            user = uow.users.by_email(email, lock=True)
            if user is None or user.is_verified:
                return
            uow.account_tokens.retire_all(user.id, TokenPurpose.VERIFY_EMAIL, now)
            self._issue_verification(uow, user, now)
            uow.commit()

    def _issue_verification(self, uow: UnitOfWork, user: User, now: datetime) -> None:
        token = self._new_token(uow, user, TokenPurpose.VERIFY_EMAIL, now, VERIFICATION_TTL)
        uow.publish(VerificationRequested(
            user_id=user.id, email=user.email, name=user.name, token=token,
            expires_at=(now + VERIFICATION_TTL).isoformat()))

    # -- guests --------------------------------------------------------------------------

    def visit(self, host: str = "") -> Login:
        """A session for a web visitor who has not logged in: an account without email or
        password, so the visitor can hold seats (holds belong to an account) before giving
        an email at checkout."""
        now = self._clock.now()
        # a browser keeps its visitor's cookie: many from one address are a script's
        enforce(self._limiter, f"visit-host:{host}", VISITS_PER_HOST, now,
                "new visitors from your address")
        user_id = new_id()
        user = User(id=user_id, email=f"visitor-{user_id}@guest{UNDELIVERABLE}", name="",
                    date_of_birth=None, password_hash=NO_PASSWORD, role=Role.CUSTOMER,
                    created_at=now)
        with self._uow() as uow:
            uow.users.add(user)
            session = Session(id=new_id(), user_id=user.id, created_at=now,
                              expires_at=now + session_lifetime(False), host=host)
            uow.sessions.add(session)
            uow.commit()
        return self._login_of(user, session, now)

    def forget_idle_visits(self) -> int:
        """Daemon job: the accounts made for web visitors (one on a visitor's first hold)
        that came to nothing — no order, nothing held, every session over a day ago —
        deleted with their sessions and spent holds; returns how many. Else every
        visitor who ever held a seat would stay in the users table for good."""
        now = self._clock.now()
        with self._uow() as uow:
            idle = uow.users.idle_visits(now - IDLE_VISIT_KEPT, FORGET_BATCH)
            if not idle:
                return 0
            forget_holds_of(uow, idle)
            uow.users.delete(idle)
            self._audit.record(uow, "accounts.visits_forgotten", subject="accounts",
                               details={"count": str(len(idle))})
            uow.commit()
        return len(idle)

    def guest_buyer(self, email: str | None, name: str) -> Buyer:
        """The buyer behind an email given at a guest checkout or at the counter: their
        account, made now (without a password) when the address is new. With no email, a
        walk-in's own account that no mail reaches."""
        now = self._clock.now()
        name = check_name(name) if name.strip() else ""
        if email is None or not email.strip():
            user_id = new_id()
            address = f"walk-in-{user_id}@guest{UNDELIVERABLE}"
        else:
            user_id, address = new_id(), self._normalize_email(email)
        for _ in range(2):  # two checkouts with one new address at once: the second finds it
            with self._uow() as uow:
                found = uow.users.by_email(address)
                if found is not None and not found.is_erased:
                    return Buyer(found.id, found.email, name or found.name)
                user = User(id=user_id, email=address, name=name, date_of_birth=None,
                            password_hash=NO_PASSWORD, role=Role.CUSTOMER, created_at=now)
                try:
                    uow.users.add(user)
                except RuleViolation:
                    continue
                self._audit.record(uow, "account.guest", subject=f"user:{user.id}",
                                   actor=address)
                uow.commit()
                return Buyer(user.id, user.email, name)
        raise RuleViolation(f"{address} is taken by an erased account", code="email_taken")

    # -- sessions ------------------------------------------------------------------------

    def login(self, *, email: str, password: str, remember_me: bool = False,
              host: str = "") -> Login:
        now = self._clock.now()
        try:
            email = self._normalize_email(email)
        except Exception:
            raise NotAuthenticated(WRONG_CREDENTIALS, code="wrong_credentials") from None
        self._refuse_while_limited(now, (f"login-host:{host}", FAILED_LOGINS_PER_HOST),
                                   (f"login-email:{email}", FAILED_LOGINS_PER_EMAIL))
        try:
            return self._login(email, password, remember_me, host, now)
        except NotAuthenticated as error:
            if error.code == "wrong_credentials":
                for key, (limit, window) in ((f"login-host:{host}", FAILED_LOGINS_PER_HOST),
                                             (f"login-email:{email}", FAILED_LOGINS_PER_EMAIL)):
                    self._limiter.hit(key, limit=limit, window=window, now=now)
            raise

    def _login(self, email: str, password: str, remember_me: bool, host: str,
               now: datetime) -> Login:
        with self._uow() as uow:
            user = uow.users.by_email(email, lock=True)
            if user is None:
                self._hasher.verify(password, self._dummy_hash())  # same cost as a real try
                self._audit.record(uow, "login.failed", subject="login", actor=email,
                                   details={"reason": "unknown email", "host": host})
                uow.commit()
                raise NotAuthenticated(WRONG_CREDENTIALS, code="wrong_credentials")
            if user.is_locked:
                raise NotAuthenticated(  # the faces name their way to reset it
                    "account locked after too many failed logins; reset your password "
                    "or ask an admin to unlock it", code="account_locked")
            if not self._hasher.verify(password, user.password_hash):
                self._audit.record(uow, "login.failed", subject=f"user:{user.id}",
                                   actor_id=user.id, actor=user.email,
                                   details={"reason": "wrong password", "host": host})
                if user.record_failed_login(now):
                    uow.publish(AccountLocked(user_id=user.id, email=user.email, name=user.name))
                    self._audit.record(uow, "account.locked", subject=f"user:{user.id}",
                                       details={"failed_logins": str(user.failed_logins)})
                uow.users.save(user)
                uow.commit()
                raise NotAuthenticated(WRONG_CREDENTIALS, code="wrong_credentials")
            if not user.is_verified:
                raise NotAuthenticated(  # the faces name their way to verify it
                    "email not verified yet: follow the mail we sent, or ask for a new one",
                    code="not_verified")
            user.record_successful_login()
            uow.users.save(user)
            session = Session(id=new_id(), user_id=user.id, created_at=now,
                              expires_at=now + session_lifetime(remember_me), host=host)
            uow.sessions.add(session)
            self._audit.record(uow, "login.succeeded", subject=f"user:{user.id}",
                               actor_id=user.id, actor=user.email,
                               details={"session": session.id, "host": host,
                                        "remember_me": str(remember_me)})
            uow.commit()
        return self._login_of(user, session, now)

    def _login_of(self, user: User, session: Session, now: datetime) -> Login:
        principal = Principal(user.id, user.email, user.name, user.role, session.id)
        self._cache_principal(principal, session.expires_at, now)
        token = self._tokens.issue(user_id=user.id, session_id=session.id, issued_at=now,
                                   expires_at=session.expires_at)
        return Login(token=token, expires_at=session.expires_at, principal=principal)

    def authenticate(self, token: str) -> Principal:
        now = self._clock.now()
        claims = self._tokens.read(token, now=now)
        cached = self._cache.get(_principal_key(claims.session_id))
        if cached is not None:
            user_id, email, name, role = cached.split("\x1f")
            if user_id == claims.user_id:
                return Principal(user_id, email, name, Role(role), claims.session_id)
        with self._uow(readonly=True) as uow:
            session = uow.sessions.get(claims.session_id)
            if session is None or not session.active_at(now):
                raise NotAuthenticated("your session has ended; log in again",
                                       code="session_ended")
            user = uow.users.get(session.user_id)
            if user is None or user.is_locked or user.is_erased:
                raise NotAuthenticated("your session has ended; log in again",
                                       code="session_ended")
        principal = Principal(user.id, user.email, user.name, user.role, session.id)
        self._cache_principal(principal, session.expires_at, now)
        return principal

    def logout(self, token: str) -> None:
        now = self._clock.now()
        claims = self._tokens.read(token, now=now)
        with self._uow() as uow:
            uow.sessions.revoke(claims.session_id, now)
            self._audit.record(uow, "logout", subject=f"user:{claims.user_id}",
                               actor_id=claims.user_id, details={"session": claims.session_id})
            uow.commit()
        self._cache.delete(_principal_key(claims.session_id))

    # -- password reset ------------------------------------------------------------------

    def forgot_password(self, email: str) -> None:
        """The same answer whether or not the address is registered."""
        now = self._clock.now()
        email = self._normalize_email(email)
        self._limit(f"reset:{email}", "password reset requests")
        with self._uow() as uow:
            user = uow.users.by_email(email, lock=True)
            if user is None:
                return
            uow.account_tokens.retire_all(user.id, TokenPurpose.RESET_PASSWORD, now)
            token = self._new_token(uow, user, TokenPurpose.RESET_PASSWORD, now, RESET_TTL)
            self._audit.record(uow, "password.reset_requested", subject=f"user:{user.id}")
            uow.publish(PasswordResetRequested(
                user_id=user.id, email=user.email, name=user.name, token=token,
                expires_at=(now + RESET_TTL).isoformat()))
            uow.commit()

    def check_reset_token(self, token: str) -> None:
        """Raises what reset_password would for this token, and changes nothing: a form
        tells of an expired link before the user types a new password twice."""
        with self._uow(readonly=True) as uow:
            self._usable_token(uow, TokenPurpose.RESET_PASSWORD, token, self._clock.now())

    def reset_password(self, token: str, new_password: str) -> str:
        now = self._clock.now()
        check_password_rules(new_password)
        with self._uow() as uow:
            record = self._usable_token(uow, TokenPurpose.RESET_PASSWORD, token, now)
            user = uow.users.get(record.user_id, lock=True)
            if user is None or user.is_erased:
                raise NotFound("user", record.user_id)
            if not uow.account_tokens.mark_used(record.id, now):
                raise RuleViolation("this reset token was already used", code="token_used")
            user.password_hash = self._hasher.hash(new_password)
            user.unlock()
            uow.users.save(user)
            revoked = uow.sessions.revoke_all(user.id, now)
            uow.publish(PasswordChanged(user_id=user.id, email=user.email, name=user.name))
            self._audit.record(uow, "password.reset", subject=f"user:{user.id}",
                               actor_id=user.id, actor=user.email,
                               details={"sessions_revoked": str(len(revoked))})
            uow.commit()
        self._cache.delete(*(_principal_key(s) for s in revoked))
        return user.email

    # -- administration ------------------------------------------------------------------

    def grant(self, email: str, role: Role) -> None:
        self._change_user(email, lambda user: setattr(user, "role", role), "role.granted",
                          {"role": role.value})

    def unlock(self, email: str) -> None:
        self._change_user(email, User.unlock, "account.unlocked", {})

    def id_of(self, email: str) -> str:
        with self._uow(readonly=True) as uow:
            user = uow.users.by_email(self._normalize_email(email))
        if user is None:
            raise NotFound("user", email)
        return user.id

    def get(self, user_id: str) -> AccountView:
        with self._uow(readonly=True) as uow:
            user = uow.users.get(user_id)
        if user is None:
            raise NotFound("user", user_id)
        return _view(user)

    def _change_user(self, email: str, change: Callable[[User], None], action: str,
                     details: dict[str, str]) -> None:
        """An operator's change to an account (from the database host: actor "system")."""
        now = self._clock.now()
        email = self._normalize_email(email)
        with self._uow() as uow:
            user = uow.users.by_email(email, lock=True)
            if user is None:
                raise NotFound("user", email)
            change(user)
            uow.users.save(user)
            self._audit.record(uow, action, subject=f"user:{user.id}", details=details)
            uow.commit()
        self._forget_sessions_of(user.id, now)

    def _forget_sessions_of(self, user_id: str, now: datetime) -> None:
        """Drop cached principals so a role change or unlock shows at once."""
        with self._uow(readonly=True) as uow:
            ids = uow.sessions.active_ids(user_id, now)
        self._cache.delete(*(_principal_key(s) for s in ids))

    # -- helpers -------------------------------------------------------------------------

    def _new_token(self, uow: UnitOfWork, user: User, purpose: TokenPurpose, now: datetime,
                   ttl: timedelta) -> str:
        token = new_secret_token()
        uow.account_tokens.add(AccountToken(
            id=new_id(), user_id=user.id, purpose=purpose, token_hash=hash_token(token),
            created_at=now, expires_at=now + ttl))
        return token

    def _usable_token(self, uow: UnitOfWork, purpose: TokenPurpose, token: str,
                      now: datetime) -> AccountToken:
        record = uow.account_tokens.find(
            purpose, hash_token(token.strip()), lock=True)
        what = "verification" if purpose is TokenPurpose.VERIFY_EMAIL else "reset"
        if record is None:
            raise NotFound(f"{what} token", "(as given)")
        if record.used_at is not None:
            raise RuleViolation(f"this {what} token was already used or replaced by a newer one",
                                code="token_used")
        if not record.usable_at(now):
            raise RuleViolation(f"this {what} token has expired; ask for a new one",
                                code="token_expired")
        return record

    def _dummy_hash(self) -> str:
        """A hash to check unknown emails against, so timing hides who is registered."""
        if self._dummy is None:
            self._dummy = self._hasher.hash(new_secret_token()[:40])
        return self._dummy

    def _refuse_while_limited(self, now: datetime,
                              *limits: tuple[str, tuple[int, timedelta]]) -> None:
        for key, (limit, window) in limits:
            decision = self._limiter.check(key, limit=limit, window=window, now=now)
            if not decision.allowed:
                raise RuleViolation(f"too many failed logins; try again in "
                                    f"{_minutes(decision.retry_after)} min", code="rate_limited",
                                    retry_after=retry_seconds(decision.retry_after))

    def _limit(self, key: str, what: str) -> None:
        decision = self._limiter.hit(key, limit=RESET_REQUESTS_PER_HOUR,
                                     window=timedelta(hours=1), now=self._clock.now())
        if not decision.allowed:
            raise RuleViolation(f"too many {what} for this address; try again in "
                                f"{_minutes(decision.retry_after)} min", code="rate_limited",
                                retry_after=retry_seconds(decision.retry_after))

    def _cache_principal(self, principal: Principal, expires_at: datetime,
                         now: datetime) -> None:
        ttl = min(PRINCIPAL_CACHE_TTL, expires_at - now)
        value = "\x1f".join((principal.user_id, principal.email, principal.name,
                             principal.role.value))
        self._cache.set(_principal_key(principal.session_id), value, ttl)


def _minutes(wait: timedelta) -> int:
    return max(1, int(wait.total_seconds() + 59) // 60)



def _principal_key(session_id: str) -> str:
    return f"session:{session_id}"


def _view(user: User) -> AccountView:
    return AccountView(id=user.id, email=user.email, name=user.name, role=user.role.value,
                       verified=user.is_verified, locked=user.is_locked)
