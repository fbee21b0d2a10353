from datetime import UTC, datetime, timedelta

import pytest

from tix.adapters.security import BcryptHasher, JwtAccessTokens
from tix.core.errors import NotAuthenticated

NOW = datetime(2026, 11, 24, 12, tzinfo=UTC)
SECRET = "a-secret-of-at-least-thirty-two-bytes!!"


def issue(tokens: JwtAccessTokens, lifetime=timedelta(hours=1)) -> str:
    return tokens.issue(user_id="u1", session_id="s1", issued_at=NOW,
                        expires_at=NOW + lifetime)


def test_a_token_reads_back_its_user_and_session():
    tokens = JwtAccessTokens(SECRET)
    claims = tokens.read(issue(tokens), now=NOW + timedelta(minutes=59))
    assert (claims.user_id, claims.session_id) == ("u1", "s1")


def test_an_expired_token_is_refused():
    tokens = JwtAccessTokens(SECRET)
    with pytest.raises(NotAuthenticated, match="expired"):
        tokens.read(issue(tokens), now=NOW + timedelta(hours=1))


def test_a_tampered_or_foreign_token_is_refused():
    tokens = JwtAccessTokens(SECRET)
    token = issue(tokens)
    header, payload, signature = token.split(".")
    forged = f"{header}.{payload[:-2]}xx.{signature}"
    for bad in (forged, issue(JwtAccessTokens("another-secret-of-thirty-two-bytes!!")), "junk"):
        with pytest.raises(NotAuthenticated):
            tokens.read(bad, now=NOW)


def test_tokens_of_the_previous_secret_still_work_during_a_rotation():
    old = JwtAccessTokens(SECRET)
    rotated = JwtAccessTokens("the-new-secret-also-thirty-two-bytes!", previous_secrets=(SECRET,))
    assert rotated.read(issue(old), now=NOW).user_id == "u1"


def test_bcrypt_verifies_the_right_password_only():
    hasher = BcryptHasher(rounds=4)
    hashed = hasher.hash("Correct-horse-9!")
    assert hasher.verify("Correct-horse-9!", hashed)
    assert not hasher.verify("correct-horse-9!", hashed)
    assert not hasher.verify("x" * 100, hashed)  # over 72 bytes: refused, no exception
    assert not hasher.verify("anything", "not-a-bcrypt-hash")


def test_a_token_claiming_another_algorithm_is_refused():
    import base64
    import json

    def part(value) -> str:
        return base64.urlsafe_b64encode(json.dumps(value).encode()).rstrip(b"=").decode()

    tokens = JwtAccessTokens(SECRET)
    claims = {"sub": "u1", "sid": "s1", "iat": 0, "exp": 4_000_000_000, "iss": "tix"}
    genuine_signature = issue(tokens).split(".")[2]
    for header in ({"alg": "none", "typ": "JWT"}, {"alg": "HS512", "typ": "JWT"}):
        forged = f"{part(header)}.{part(claims)}.{genuine_signature}"
        with pytest.raises(NotAuthenticated):
            tokens.read(forged, now=NOW)
        with pytest.raises(NotAuthenticated):
            tokens.read(f"{part(header)}.{part(claims)}.", now=NOW)


def test_tokens_are_standard_hs256_jwts():
    import base64
    import hashlib
    import hmac
    import json

    token = issue(JwtAccessTokens(SECRET))
    header, payload, signature = token.split(".")
    assert json.loads(base64.urlsafe_b64decode(header + "==")) == {"alg": "HS256",
                                                                     "typ": "JWT"}
    expected = hmac.new(SECRET.encode(), f"{header}.{payload}".encode(),
                        hashlib.sha256).digest()
    assert base64.urlsafe_b64decode(signature + "=" * (-len(signature) % 4)) == expected
