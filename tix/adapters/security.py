"""Password hashing (bcrypt), access tokens (JWT, HS256) and the secret that signs them."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import secrets
from datetime import datetime
from pathlib import Path
from typing import Any

from tix.core.errors import Invalid, NotAuthenticated
from tix.core.ports import AccessClaims


class BcryptHasher:
    def __init__(self, rounds: int = 12) -> None:
        self._rounds = rounds

    def hash(self, password: str) -> str:
        import bcrypt  # only commands that check a password pay for it

        return bcrypt.hashpw(password.encode(), bcrypt.gensalt(self._rounds)).decode()

    def verify(self, password: str, hashed: str) -> bool:
        import bcrypt

        try:
            return bcrypt.checkpw(password.encode(), hashed.encode())
        except ValueError:  # over 72 bytes, or not a bcrypt hash
            return False


class JwtAccessTokens:
    """HS256 JSON Web Tokens. Older secrets still verify during a rotation's grace period.

    Written against RFC 7519 with the standard library: PyJWT pulls in cryptography's X.509
    stack (~70 ms) into every command, and tix signs with one algorithm only — which the
    reader insists on, so an "alg": "none" or RS/HS confusion can never pass.
    """

    HEADER = {"alg": "HS256", "typ": "JWT"}

    def __init__(self, secret: str, *, previous_secrets: tuple[str, ...] = ()) -> None:
        self._secret = secret
        self._previous = previous_secrets

    def issue(self, *, user_id: str, session_id: str, issued_at: datetime,
              expires_at: datetime) -> str:
        claims = {"sub": user_id, "sid": session_id, "iat": int(issued_at.timestamp()),
                  "exp": int(expires_at.timestamp()), "iss": "tix"}
        signing_input = f"{_b64(_json(self.HEADER))}.{_b64(_json(claims))}"
        return f"{signing_input}.{_b64(_sign(self._secret, signing_input))}"

    def read(self, token: str, *, now: datetime) -> AccessClaims:
        claims = self._verified_claims(token)
        if claims is None:
            raise NotAuthenticated("your stored login is not valid; log in again",
                                   code="bad_token")
        # Expiry is checked against the injected clock, not the wall clock.
        expires = datetime.fromtimestamp(claims["exp"], tz=now.tzinfo)
        if expires <= now:
            raise NotAuthenticated("your session has expired; log in again",
                                   code="session_expired")
        return AccessClaims(user_id=claims["sub"], session_id=claims["sid"],
                            expires_at=expires)

    def _verified_claims(self, token: str) -> dict[str, Any] | None:
        parts = token.strip().split(".")
        if len(parts) != 3:
            return None
        signing_input = f"{parts[0]}.{parts[1]}"
        try:
            header = json.loads(_unb64(parts[0]))
            signature = _unb64(parts[2])
            claims = json.loads(_unb64(parts[1]))
        except (ValueError, UnicodeDecodeError, RecursionError):  # not a token tix made
            return None
        if header != self.HEADER or not isinstance(claims, dict):
            return None
        if not any(hmac.compare_digest(signature, _sign(secret, signing_input))
                   for secret in (self._secret, *self._previous)):
            return None
        if claims.get("iss") != "tix" or not isinstance(claims.get("exp"), int) \
                or not isinstance(claims.get("sub"), str) \
                or not isinstance(claims.get("sid"), str):
            return None
        return claims


def _json(value: dict[str, Any]) -> bytes:
    return json.dumps(value, separators=(",", ":")).encode()


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _sign(secret: str, signing_input: str) -> bytes:
    return hmac.new(secret.encode(), signing_input.encode(), hashlib.sha256).digest()


DEVELOPMENT_SECRET_FILE = "secret.key"


def secret_key(configured: str | None, data_dir: Path, *, production: bool) -> str:
    """TIX_SECRET_KEY, or on a development machine a random key kept in the data dir."""
    if configured:
        if production and len(configured) < 32:
            raise Invalid("TIX_SECRET_KEY must be at least 32 characters in production")
        return configured
    if production:
        raise Invalid("TIX_SECRET_KEY must be set when TIX_ENV=production")
    return _key_file(data_dir / DEVELOPMENT_SECRET_FILE)


def _key_file(path: Path) -> str:
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process created it first: use theirs
        return path.read_text().strip()
    with os.fdopen(fd, "w") as handle:
        handle.write(key)
    return key
