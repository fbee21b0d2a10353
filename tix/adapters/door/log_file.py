"""A scan log on a door device: one JSON line per record, appended and flushed to disk
before the verdict is shown, so an admission survives a crash or a pulled plug.

Beside it, `<log>.head` names how many records the log holds and the hash of the last:
a log cut short (whole records removed from its end) no longer matches it. The chains in
the log itself catch a record altered, removed or moved (tix.core.tickets.scan_log).
"""

from __future__ import annotations

import fcntl
import json
import os
from collections.abc import Iterable, Sequence
from datetime import datetime
from pathlib import Path

from tix.core.errors import Invalid, Unavailable
from tix.core.tickets.door import Scan
from tix.core.tickets.scan_log import (
    DamagedLog,
    LogRecord,
    chained,
    chains,
    read_lines,
    to_line,
    union,
)


def read_log(path: Path, key: bytes) -> list[LogRecord]:
    """Every record of a log file (a device's, or one handed over on a USB stick),
    checked; DamagedLog if it was altered or cut short."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise Invalid(f"{path}: no such scan log", code="no_log") from None
    except (OSError, UnicodeError):
        raise DamagedLog(f"{path} is not a scan log") from None
    if text and not text.endswith("\n"):
        raise DamagedLog(f"{path} was cut short: its last record is incomplete",
                         code="log_truncated")
    try:
        records = read_lines(text.splitlines(), key)
    except DamagedLog as damaged:
        raise DamagedLog(f"{path}: {damaged.message}", code=damaged.code) from None
    head = _read_head(path)
    if head is not None:
        count, last = head
        if len(records) < count or (count and records[count - 1].hash != last):
            raise DamagedLog(f"{path} was cut short or rewritten: it holds {len(records)} "
                             f"records, it had {count}", code="log_truncated")
    return records


def _head_path(path: Path) -> Path:
    return path.with_name(path.name + ".head")


def _read_head(path: Path) -> tuple[int, str] | None:
    try:
        data = json.loads(_head_path(path).read_text())
        return int(data["records"]), str(data["last_hash"])
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError):
        raise DamagedLog(f"{_head_path(path)} is damaged", code="log_truncated") from None


class ScanLogFile:
    """The log of one device (its own chain, and copies of others' from syncs)."""

    def __init__(self, path: Path, *, device: str, event_id: str, key: bytes) -> None:
        self.path = path
        self.key = key
        self.device = device
        self.event_id = event_id
        self.records: list[LogRecord] = read_log(path, key) if path.exists() else []
        for record in self.records:
            if record.scan.event_id != event_id:
                raise Invalid(f"{path} is the scan log of another event", code="wrong_log")
        own = chains(self.records).get(device, [])
        self._last: LogRecord | None = own[-1] if own else None
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._handle = open(path, "a", encoding="utf-8")  # noqa: SIM115 - kept open
        except OSError as error:
            raise Invalid(f"cannot write the scan log {path}: {error.strerror}",
                          code="log_unwritable") from None

    def close(self) -> None:
        self._handle.close()

    def __enter__(self) -> ScanLogFile:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def scans(self) -> list[Scan]:
        return [r.scan for r in self.records]

    def append(self, scan: Scan) -> LogRecord:
        """Add this device's scan, on disk before it returns."""
        record = chained(self._last, scan, self.key)
        self._write([record])
        self._last = record
        return record

    def add(self, others: Iterable[Sequence[LogRecord]]) -> int:
        """Merge other logs in (each checked, and against this one): appends the records
        this log lacks; returns how many. DamagedLog, and nothing written, if any log is
        damaged or disagrees with this one."""
        others = [list(o) for o in others]
        for other in others:
            for record in other:
                if record.scan.event_id != self.event_id:
                    raise Invalid("a scan log of another event", code="wrong_log")
        merged = union(self.records, *others)
        mine = chains(self.records)
        new = [r for device, chain in sorted(merged.items())
               for r in chain[len(mine.get(device, [])):]]
        self._write(new)
        own = merged.get(self.device, [])
        self._last = own[-1] if own else None
        return len(new)

    def _write(self, records: list[LogRecord]) -> None:
        if not records:
            return
        try:
            fcntl.flock(self._handle.fileno(), fcntl.LOCK_EX)
            try:
                self._handle.write("".join(to_line(r) + "\n" for r in records))
                self._handle.flush()
                os.fsync(self._handle.fileno())
            finally:
                fcntl.flock(self._handle.fileno(), fcntl.LOCK_UN)
        except OSError as error:  # a full or pulled disk: no verdict without its record
            raise Unavailable(f"cannot write the scan log {self.path}: {error.strerror}",
                              code="log_unwritable") from None
        self.records.extend(records)
        head = _head_path(self.path)
        partial = head.with_name(f".{head.name}.partial")
        partial.write_text(json.dumps({"records": len(self.records),
                                       "last_hash": self.records[-1].hash}))
        os.replace(partial, head)


def newest_pack(path: Path, event_id: str, made_at: datetime) -> datetime:
    """The making time of the newest pack this log's device has run on, `made_at`
    included (kept beside the log as `<log>.pack`): a newer pack supersedes an older one,
    and a device never goes back to a pack that knows fewer revocations."""
    beside = path.with_name(path.name + ".pack")
    try:
        data = json.loads(beside.read_text())
        newest = datetime.fromisoformat(str(data["made_at"]))
        if str(data["event_id"]) != event_id:
            raise Invalid(f"{path} is the scan log of another event", code="wrong_log")
    except (FileNotFoundError, NotADirectoryError):
        newest = made_at
    except (OSError, ValueError, KeyError, TypeError):
        raise DamagedLog(f"{beside} is damaged", code="log_truncated") from None
    if made_at >= newest:
        partial = beside.with_name(f".{beside.name}.partial")
        try:
            beside.parent.mkdir(parents=True, exist_ok=True)
            partial.write_text(json.dumps({"event_id": event_id,
                                           "made_at": made_at.isoformat()}))
            os.replace(partial, beside)
        except OSError as error:
            raise Invalid(f"cannot write the scan log {path}: {error.strerror}",
                          code="log_unwritable") from None
        return made_at
    return newest
