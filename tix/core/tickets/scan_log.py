"""A door device's scan log: append-only and hash-chained, so that a record altered,
removed or put in out of order is seen by whoever reads the log next.

Every record carries its device's sequence number, the hash of the device's record
before it, and its own hash (HMAC-SHA256 over both and the scan, under a key every door
of the event holds: someone without it can neither forge a record nor rewrite a chain).
A log file may hold the chains of several devices (its own, and copies of others' from a
sync): each device's records, taken in the file's order, must form one unbroken chain
from its first.
Merging is a union by device: two copies of a device's chain agree wherever both have a
record (one is the other's beginning), or one of them was altered.

Pure: the bytes of a record, never a file.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from tix.core.errors import Invalid
from tix.core.tickets.door import Scan

GENESIS = "0" * 64
"""The `prev` of a device's first record."""


class DamagedLog(Invalid):
    """A log that is not what its device wrote: altered, cut short, or forked."""

    def __init__(self, message: str, *, code: str = "log_damaged", **detail: Any) -> None:
        super().__init__(message, code=code, **detail)


@dataclass(frozen=True)
class LogRecord:
    seq: int  # 0, 1, ... within its device
    prev: str  # the hash of the device's record seq - 1 (GENESIS for the first)
    scan: Scan
    hash: str

    @property
    def device(self) -> str:
        return self.scan.device


def _canonical(value: Mapping[str, Any]) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def record_hash(seq: int, prev: str, scan_fields: Mapping[str, str], key: bytes = b"") -> str:
    body = f"{seq}\n{prev}\n{_canonical(scan_fields)}"
    return hmac.new(key, body.encode(), hashlib.sha256).hexdigest()


def chained(last: LogRecord | None, scan: Scan, key: bytes = b"") -> LogRecord:
    """The record that follows `last` (None: the device's first) with `scan`."""
    if last is not None and last.device != scan.device:
        raise ValueError("a device's chain holds its own scans only")
    seq = 0 if last is None else last.seq + 1
    prev = GENESIS if last is None else last.hash
    return LogRecord(seq=seq, prev=prev, scan=scan,
                     hash=record_hash(seq, prev, scan.to_record(), key))


def to_line(record: LogRecord) -> str:
    """One line of a log file (no newline)."""
    return _canonical({"seq": record.seq, "prev": record.prev,
                       "scan": record.scan.to_record(), "hash": record.hash})


def from_line(line: str, number: int = 0, key: bytes = b"") -> LogRecord:
    """A record read back; DamagedLog if the line is not one, or its hash does not hold."""
    try:
        data = json.loads(line)
        scan_fields = {str(k): str(v) for k, v in dict(data["scan"]).items()}
        seq, prev, stated = int(data["seq"]), str(data["prev"]), str(data["hash"])
        scan = Scan.from_record(scan_fields)
    except (ValueError, KeyError, TypeError, AttributeError):
        raise DamagedLog(f"line {number} of the scan log is not a scan record "
                         "(cut short or altered)", line=number) from None
    if not hmac.compare_digest(record_hash(seq, prev, scan_fields, key), stated):
        raise DamagedLog(f"line {number} of the scan log was altered, or written without "
                         "this door's key (its hash does not hold)", line=number)
    return LogRecord(seq=seq, prev=prev, scan=scan, hash=stated)


def read_lines(lines: Iterable[str], key: bytes = b"") -> list[LogRecord]:
    """Every record of a log's text; DamagedLog for a damaged line or a broken chain."""
    records = [from_line(line, number, key) for number, line in enumerate(lines, 1)
               if line.strip()]
    chains(records)
    return records


def chains(records: Iterable[LogRecord]) -> dict[str, list[LogRecord]]:
    """Each device's chain, checked: DamagedLog if one has a gap, a record out of order,
    or a record whose `prev` is not the hash before it."""
    found: dict[str, list[LogRecord]] = {}
    for record in records:
        chain = found.setdefault(record.device, [])
        expected_prev = chain[-1].hash if chain else GENESIS
        if record.seq != len(chain) or record.prev != expected_prev:
            raise DamagedLog(
                f"{record.device}'s scan log is broken at record {len(chain)}: a record "
                "was removed, altered or moved", device=record.device, at=len(chain))
        chain.append(record)
    return found


def union(*logs: Sequence[LogRecord]) -> dict[str, list[LogRecord]]:
    """Every device's longest chain among the logs (each checked); DamagedLog if two
    copies of one device's chain disagree (a fork: one of them was altered)."""
    merged: dict[str, list[LogRecord]] = {}
    for log in logs:
        for device, chain in chains(log).items():
            known = merged.get(device, [])
            shorter, longer = sorted((known, chain), key=len)
            if shorter and longer[len(shorter) - 1].hash != shorter[-1].hash:
                raise DamagedLog(
                    f"two copies of {device}'s scan log disagree before record "
                    f"{len(shorter)}: one of them was altered", code="log_forked",
                    device=device)
            merged[device] = longer
    return merged


def flatten(chains_by_device: Mapping[str, Sequence[LogRecord]]) -> list[LogRecord]:
    """The records of every chain, devices in name order (a log file's contents)."""
    return [r for device in sorted(chains_by_device) for r in chains_by_device[device]]
