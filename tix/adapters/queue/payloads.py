"""A message's payload as it rests in the outbox and travels through SQS: encrypted JSON."""

from __future__ import annotations

import json
from typing import Any

from cryptography.exceptions import InvalidTag

from tix.adapters.crypto import FieldCipher
from tix.core.errors import TixError
from tix.core.messages import UnreadableMessage


def seal_payload(cipher: FieldCipher, payload: dict[str, Any]) -> str:
    # Payloads carry names and addresses: encrypted like every other personal field.
    return cipher.encrypt(json.dumps(payload))


def open_payload(cipher: FieldCipher, stored: str) -> dict[str, Any]:
    """The payload; UnreadableMessage if it cannot be decrypted or decoded — it says why,
    never what the payload holds."""
    try:
        payload = json.loads(cipher.decrypt(stored))
    except InvalidTag:  # same key id, other key material
        raise UnreadableMessage("InvalidTag: written under another encryption key") from None
    except TixError as error:  # a key id that is not configured
        raise UnreadableMessage(error.message) from None
    except (ValueError, TypeError, AttributeError) as error:  # not text, base64, UTF-8, JSON
        raise UnreadableMessage(f"{type(error).__name__}: {error}") from None
    if not isinstance(payload, dict):
        raise UnreadableMessage(f"the payload is a JSON {type(payload).__name__}, "
                                "not an object")
    return payload
