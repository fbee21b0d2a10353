"""Password hashing (bcrypt) and access tokens (JWT, HS256)."""

from __future__ import annotations

from datetime import datetime

import bcrypt
import jwt

from tix.core.errors import NotAuthenticated
from tix.core.ports import AccessClaims


class BcryptHasher:
    def __init__(self, rounds: int = 12) -> None:
        self._rounds = rounds

    def hash(self, password: str) -> str:
        return bcrypt.hashpw(password.encode(), bcrypt.gensalt(self._rounds)).decode()

    def verify(self, password: str, hashed: str) -> bool:
        try:
            return bcrypt.checkpw(password.encode(), hashed.encode())
        except ValueError:  # over 72 bytes, or not a bcrypt hash
            return False


class JwtAccessTokens:
    """HS256 tokens. Older keys still verify during a rotation's grace period."""

    def __init__(self, secret: str, *, previous_secrets: tuple[str, ...] = ()) -> None:
        self._secret = secret
        self._previous = previous_secrets

    def issue(self, *, user_id: str, session_id: str, issued_at: datetime,
              expires_at: datetime) -> str:
        claims = {"sub": user_id, "sid": session_id, "iat": int(issued_at.timestamp()),
                  "exp": int(expires_at.timestamp()), "iss": "tix"}
        return jwt.encode(claims, self._secret, algorithm="HS256")

    def read(self, token: str, *, now: datetime) -> AccessClaims:
        # Expiry is checked against the injected clock, not the wall clock PyJWT would use.
        for secret in (self._secret, *self._previous):
            try:
                claims = jwt.decode(token, secret, algorithms=["HS256"], issuer="tix",
                                    options={"verify_exp": False, "verify_iat": False})
            except jwt.InvalidSignatureError:
                continue
            except jwt.PyJWTError:
                break
            expires = datetime.fromtimestamp(claims["exp"], tz=now.tzinfo)
            if expires <= now:
                raise NotAuthenticated("your session has expired; log in again",
                                       code="session_expired")
            return AccessClaims(user_id=claims["sub"], session_id=claims["sid"],
                                expires_at=expires)
        raise NotAuthenticated("your stored login is not valid; log in again",
                               code="bad_token")
