"""Audit entries and the hash chain that makes editing or deleting one detectable.

Entries are written inside the transaction of the operation they record, unchained, so
no hot "chain head" row serialises purchases or check-ins. The daemon seals them shortly
after: each gets the next position in the chain and a hash over its content and the
previous entry's hash.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import datetime

GENESIS = "0" * 64


@dataclass
class AuditEntry:
    id: str
    at: datetime
    action: str  # e.g. "login.failed", "role.granted", "event.cancelled"
    actor_id: str | None  # None: the system, or someone not logged in
    actor: str  # an email or "system", as it was at the time
    subject: str  # what it is about: "user:<id>", "order:<id>", ...
    origin: str  # where from: user@host of the CLI, the daemon's host
    details: dict[str, str] = field(default_factory=dict)
    position: int | None = None  # place in the chain, once sealed
    previous_hash: str | None = None
    hash: str | None = None

    def content(self) -> str:
        """The canonical text the hash covers."""
        return json.dumps({
            "id": self.id, "at": self.at.isoformat(), "action": self.action,
            "actor_id": self.actor_id, "actor": self.actor, "subject": self.subject,
            "origin": self.origin, "details": self.details, "position": self.position,
        }, sort_keys=True, separators=(",", ":"))

    def seal(self, position: int, previous_hash: str) -> None:
        self.position = position
        self.previous_hash = previous_hash
        self.hash = chain_hash(previous_hash, self.content())


def chain_hash(previous_hash: str, content: str) -> str:
    return hashlib.sha256(f"{previous_hash}\n{content}".encode()).hexdigest()


@dataclass(frozen=True)
class ChainReport:
    checked: int
    unsealed: int
    problems: list[str]

    @property
    def intact(self) -> bool:
        return not self.problems


def verify_chain(entries: list[AuditEntry], unsealed: int) -> ChainReport:
    """Walk the sealed entries in chain order; say which were edited or are missing."""
    problems: list[str] = []
    expected_position = 1
    previous = GENESIS
    for entry in entries:
        assert entry.position is not None
        if entry.position != expected_position:
            missing = (f"#{expected_position}" if entry.position == expected_position + 1
                       else f"#{expected_position}-#{entry.position - 1}")
            problems.append(f"entry {missing} is missing (deleted)")
            previous = entry.previous_hash or previous
        if entry.previous_hash != previous:
            problems.append(f"entry #{entry.position} ({entry.id}) does not follow the one "
                            f"before it")
        if chain_hash(entry.previous_hash or "", entry.content()) != entry.hash:
            problems.append(f"entry #{entry.position} ({entry.id}, {entry.action}) was edited")
        previous = entry.hash or ""
        expected_position = entry.position + 1
    return ChainReport(checked=len(entries), unsealed=unsealed, problems=problems)
