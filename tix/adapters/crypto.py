"""Personal data encrypted at the application level: AES-256-GCM, one key id per value.

A stored value reads `v1:<key id>:<base64 of nonce + ciphertext + tag>`, so keys can be
rotated: new writes use the current key, reads find the key a value was written with,
and `tix admin rotate-key` re-encrypts old values in batches. Lookups by email use a
keyed HMAC ("blind index") so the address itself is never stored in clear.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from tix.adapters.secret_files import created_once
from tix.core.errors import Invalid

PREFIX = "v1"
KEY_FILE = "encryption.key"


@dataclass(frozen=True)
class KeyRing:
    current_id: str
    keys: dict[str, bytes]  # key id -> 32 bytes

    @classmethod
    def parse(cls, text: str) -> KeyRing:
        """`ID:BASE64KEY[,ID:BASE64KEY…]`, current key first (a bare key gets id k1)."""
        keys: dict[str, bytes] = {}
        order: list[str] = []
        for index, item in enumerate(part.strip() for part in text.split(",") if part.strip()):
            key_id, _, encoded = item.rpartition(":") if ":" in item else ("", "", item)
            key_id = key_id or f"k{index + 1}"
            try:
                key = base64.b64decode(encoded, validate=True)
            except binascii.Error:
                raise Invalid(f"encryption key {key_id} is not base64") from None
            if len(key) != 32:
                raise Invalid(f"encryption key {key_id} must be 32 bytes (AES-256), "
                              f"not {len(key)}")
            keys[key_id] = key
            order.append(key_id)
        if not keys:
            raise Invalid("no encryption key given")
        return cls(order[0], keys)


class FieldCipher:
    def __init__(self, ring: KeyRing) -> None:
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        self._ring = ring
        self._aead = {key_id: AESGCM(key) for key_id, key in ring.keys.items()}
        # One index key per encryption key, current first: during a rotation a lookup tries
        # each, and rotate-key moves every row to the current one.
        self._index_keys = [hmac.new(ring.keys[key_id], b"tix blind index v1",
                                     hashlib.sha256).digest()
                            for key_id in [ring.current_id, *(k for k in ring.keys
                                                              if k != ring.current_id)]]

    @property
    def current_key_id(self) -> str:
        return self._ring.current_id

    def encrypt(self, plain: str) -> str:
        nonce = secrets.token_bytes(12)
        sealed = self._aead[self._ring.current_id].encrypt(nonce, plain.encode(), None)
        return f"{PREFIX}:{self._ring.current_id}:{base64.b64encode(nonce + sealed).decode()}"

    def decrypt(self, stored: str) -> str:
        if not stored.startswith(PREFIX + ":"):
            return stored  # written before encryption: read as is; rotate-key seals it
        _, key_id, payload = stored.split(":", 2)
        raw = base64.b64decode(payload)
        try:
            aead = self._aead[key_id]
        except KeyError:
            raise Invalid(f"personal data was encrypted with key {key_id!r}, which is not "
                          "configured (TIX_ENCRYPTION_KEY)") from None
        return aead.decrypt(raw[:12], raw[12:], None).decode()

    def key_id_of(self, stored: str) -> str | None:
        return stored.split(":", 2)[1] if stored.startswith(PREFIX + ":") else None

    def blind_index(self, value: str) -> str:
        """The lookup key written with a value (the current key's)."""
        return self.blind_indexes(value)[0]

    def blind_indexes(self, value: str) -> list[str]:
        """Every lookup key the value may be stored under while keys rotate."""
        normal = value.strip().lower().encode()
        return [hmac.new(key, normal, hashlib.sha256).hexdigest() for key in self._index_keys]


def key_ring(configured: str | None, data_dir: Path, *, production: bool) -> KeyRing:
    """TIX_ENCRYPTION_KEY, or on a development machine a key file made on first use."""
    if configured:
        return KeyRing.parse(configured)
    if production:
        raise Invalid("TIX_ENCRYPTION_KEY must be set when TIX_ENV=production")
    path = data_dir / KEY_FILE
    try:
        return KeyRing.parse(path.read_text())
    except FileNotFoundError:
        pass
    text = "k1:" + base64.b64encode(secrets.token_bytes(32)).decode()
    return KeyRing.parse(created_once(path, text))  # another process's, if it was first


def add_key_to_file(data_dir: Path) -> str:
    """Put a new current key in front of the key file's ring; returns its id."""
    path = data_dir / KEY_FILE
    ring = KeyRing.parse(path.read_text())
    number = 1 + max(int(k[1:]) for k in ring.keys if k[1:].isdigit())
    key_id = f"k{number}"
    text = f"{key_id}:{base64.b64encode(secrets.token_bytes(32)).decode()},{path.read_text()}"
    temporary = path.with_suffix(".tmp")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(text.strip())
    os.replace(temporary, path)
    return key_id
