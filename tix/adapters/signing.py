"""Ed25519 signatures for ticket payloads: the private key signs, scanners need only the
public key. The key is TIX_TICKET_SIGNING_KEY (base64 of the 32-byte private key) or a
key file made in the data dir on first use (mode 0600)."""

from __future__ import annotations

import base64
import os
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)

from tix.core.errors import Invalid

KEY_FILE = "ticket-signing.key"


class Ed25519Signer:
    def __init__(self, private_key: Ed25519PrivateKey) -> None:
        self._private = private_key
        self._public: Ed25519PublicKey = private_key.public_key()

    def sign(self, message: bytes) -> bytes:
        return self._private.sign(message)

    def verify(self, message: bytes, signature: bytes) -> bool:
        try:
            self._public.verify(signature, message)
        except InvalidSignature:
            return False
        return True

    def public_key_pem(self) -> str:
        return self._public.public_bytes(serialization.Encoding.PEM,
                                         serialization.PublicFormat.SubjectPublicKeyInfo
                                         ).decode()


def load_signer(configured: str | None, data_dir: Path) -> Ed25519Signer:
    if configured:
        try:
            raw = base64.b64decode(configured, validate=True)
            return Ed25519Signer(Ed25519PrivateKey.from_private_bytes(raw))
        except ValueError:
            raise Invalid("TIX_TICKET_SIGNING_KEY must be base64 of a 32-byte Ed25519 "
                          "private key") from None
    path = data_dir / KEY_FILE
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        raw = Ed25519PrivateKey.generate().private_bytes(
            serialization.Encoding.Raw, serialization.PrivateFormat.Raw,
            serialization.NoEncryption())
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w") as handle:
                handle.write(base64.b64encode(raw).decode())
        except FileExistsError:
            pass  # another process made it first
    return Ed25519Signer(Ed25519PrivateKey.from_private_bytes(
        base64.b64decode(path.read_text().strip())))
