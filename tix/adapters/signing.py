"""Ed25519 signatures for ticket payloads: the private key signs, scanners need only the
public key. The key is TIX_TICKET_SIGNING_KEY (base64 of the 32-byte private key) or a
key file made in the data dir on first use (mode 0600)."""

from __future__ import annotations

import base64
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)

from tix.adapters.secret_files import created_once
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
    if path.exists():
        text = path.read_text()
    else:
        raw = Ed25519PrivateKey.generate().private_bytes(
            serialization.Encoding.Raw, serialization.PrivateFormat.Raw,
            serialization.NoEncryption())
        text = created_once(path, base64.b64encode(raw).decode())
    return Ed25519Signer(Ed25519PrivateKey.from_private_bytes(
        base64.b64decode(text.strip())))
