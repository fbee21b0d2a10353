"""A door pack on disk: the pack's JSON, signed with the tickets' own Ed25519 key, and
that key's public half, which the door key pins (a pack signed by any other key is
refused, whatever public key it carries)."""

from __future__ import annotations

import base64
import json
import os
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from tix.adapters.door.keys import DoorKey
from tix.adapters.signing import Ed25519Signer
from tix.core.errors import Invalid, NotAllowed, NotFound
from tix.core.tickets.door_pack import DoorPack, from_document, to_document

FILE_FORMAT = "tix-door-pack-file/1"


class PublicKeyVerifier:
    """Verifies ticket codes and packs with the public key alone: a door signs nothing."""

    def __init__(self, public_key: bytes) -> None:
        self._public = Ed25519PublicKey.from_public_bytes(public_key)

    def sign(self, message: bytes) -> bytes:
        raise NotAllowed("a door device holds no signing key")

    def verify(self, message: bytes, signature: bytes) -> bool:
        try:
            self._public.verify(signature, message)
        except InvalidSignature:
            return False
        return True


def public_key_of(signer: Ed25519Signer) -> bytes:
    public = serialization.load_pem_public_key(signer.public_key_pem().encode())
    return public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def write_pack(path: Path, pack: DoorPack, signer: Ed25519Signer) -> int:
    """Write the signed pack (atomically: a door reading it meanwhile sees the old one or
    the new one); returns its size in bytes."""
    body = json.dumps(to_document(pack), sort_keys=True, separators=(",", ":"),
                      ensure_ascii=False).encode()
    document = {"format": FILE_FORMAT,
                "public_key": base64.b64encode(public_key_of(signer)).decode(),
                "body": base64.b64encode(body).decode(),
                "signature": base64.b64encode(signer.sign(body)).decode()}
    data = json.dumps(document).encode()
    partial = path.with_name(f".{path.name}.partial")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(partial, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(partial, path)
    except (OSError, ValueError) as error:  # ValueError: a NUL in the path
        raise Invalid(f"cannot write {path}: {getattr(error, 'strerror', None) or error}",
                      code="cannot_write") from None
    return len(data)


def read_pack(path: Path, key: DoorKey) -> tuple[DoorPack, PublicKeyVerifier]:
    """The pack, once its signature holds under the key the door key trusts; and the
    verifier of the event's ticket codes."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise NotFound("door pack", str(path)) from None
    except OSError as error:
        raise Invalid(f"{path}: {error.strerror}", code="not_a_pack") from None
    try:
        document = json.loads(raw)
        if document.get("format") != FILE_FORMAT:
            raise ValueError("format")
        public_key = base64.b64decode(document["public_key"], validate=True)
        body = base64.b64decode(document["body"], validate=True)
        signature = base64.b64decode(document["signature"], validate=True)
    except (ValueError, KeyError, TypeError, AttributeError):
        raise Invalid(f"{path} is not a tix door pack", code="not_a_pack") from None
    if public_key != key.public_key:
        raise Invalid(f"{path} is signed by another key than the one this door trusts",
                      code="pack_untrusted")
    verifier = PublicKeyVerifier(public_key)
    if not verifier.verify(body, signature):
        raise Invalid(f"{path} was altered: its signature does not hold",
                      code="pack_forged")
    try:
        pack = from_document(json.loads(body))
    except ValueError:
        raise Invalid(f"{path} is not a tix door pack", code="not_a_pack") from None
    return pack, verifier
