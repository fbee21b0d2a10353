"""The door key: the AES-256-GCM key that seals holders' names in a door pack, and the
tickets' public key a door trusts packs from. Made by `tix door pack` the first time
(mode 0600) and copied to each door device by hand, never inside a pack."""

from __future__ import annotations

import base64
import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from tix.core.errors import Invalid, NotFound

KEY_FORMAT = "tix-door-key/1"
DEFAULT_NAME = "door.key"


@dataclass(frozen=True)
class DoorKey:
    holders_key: bytes  # 32 bytes
    public_key: bytes  # the tickets' Ed25519 public key, raw 32 bytes

    @property
    def log_key(self) -> bytes:
        """The key of the scan logs' hash chains (and of their exchange on the LAN)."""
        return hashlib.sha256(b"tix door log\n" + self.holders_key).digest()

    def seal(self, ticket_id: str, holder: str) -> str:
        """The holder, encrypted and bound to its ticket (a name moved to another ticket
        does not open)."""
        nonce = os.urandom(12)
        sealed = AESGCM(self.holders_key).encrypt(nonce, holder.encode(), ticket_id.encode())
        return base64.b64encode(nonce + sealed).decode()

    def open(self, ticket_id: str, sealed: str) -> str | None:
        """The holder's name; None if it does not open with this key."""
        try:
            raw = base64.b64decode(sealed, validate=True)
            return AESGCM(self.holders_key).decrypt(raw[:12], raw[12:],
                                                    ticket_id.encode()).decode()
        except (ValueError, InvalidTag):
            return None


def _decode(path: Path) -> DoorKey:
    try:
        data = json.loads(path.read_text())
        if data.get("format") != KEY_FORMAT:
            raise ValueError("format")
        key = DoorKey(holders_key=base64.b64decode(data["holders_key"], validate=True),
                      public_key=base64.b64decode(data["public_key"], validate=True))
        if len(key.holders_key) != 32 or len(key.public_key) != 32:
            raise ValueError("length")
        return key
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        raise Invalid(f"{path} is not a tix door key", code="not_a_door_key") from None


def load_key(path: Path) -> DoorKey:
    if not path.exists():
        raise NotFound("door key", str(path))
    return _decode(path)


def load_or_make_key(path: Path, public_key: bytes) -> DoorKey:
    """The door key at `path`, made (0600) if there is none; Invalid if it trusts another
    signing key than the tickets' own."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        document = {"format": KEY_FORMAT,
                    "holders_key": base64.b64encode(AESGCM.generate_key(256)).decode(),
                    "public_key": base64.b64encode(public_key).decode()}
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w") as handle:
                json.dump(document, handle)
        except FileExistsError:
            pass  # made meanwhile by another pack
    key = _decode(path)
    if key.public_key != public_key:
        raise Invalid(f"{path} trusts another ticket signing key than this server's: "
                      "give another --key", code="door_key_mismatch")
    return key
