"""Identifiers: UUIDs inside, short readable numbers for people."""

from __future__ import annotations

import secrets
import uuid

# Crockford-style alphabet: no I, L, O, U, so numbers survive being read aloud.
READABLE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def new_id() -> str:
    return str(uuid.uuid4())


def readable_code(length: int) -> str:
    return "".join(secrets.choice(READABLE_ALPHABET) for _ in range(length))


def looks_like_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True
