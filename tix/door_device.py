"""The offline door's files, for every face: making a door pack on the server, opening
it on a door device (no database, no network), scanning into the device's log, and
merging logs (a file, a LAN peer, the server).

Beside bootstrap, as tix.documents is: the faces reach the door's adapters through
these functions and never name an adapter themselves.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from tix.adapters.door.keys import DEFAULT_NAME, DoorKey, load_key, load_or_make_key
from tix.adapters.door.lan import exchange, serve
from tix.adapters.door.log_file import ScanLogFile, newest_pack, read_log
from tix.adapters.door.pack_file import public_key_of, read_pack, write_pack
from tix.core.clock import SystemClock
from tix.core.errors import Invalid, TixError
from tix.core.tickets.door import ScanKind
from tix.core.tickets.door_pack import DoorPack, PackTicket, gather, may_work_the_door
from tix.core.tickets.offline import (
    Merged,
    OfflineDoor,
    OfflineVerdict,
    merge,
    stale_revocations,
)
from tix.core.tickets.public import record_scans

if TYPE_CHECKING:
    from tix.bootstrap import Runtime
    from tix.config import Settings
    from tix.core.principal import Principal


def default_key_path(settings: Settings) -> Path:
    return settings.data_dir / DEFAULT_NAME


@dataclass(frozen=True)
class PackMade:
    path: Path
    key_path: Path
    pack: DoorPack
    size: int


def make_pack(runtime: Runtime, principal: Principal, event_reference: str, output: Path,
              *, key_path: Path, only_list: str | None = None) -> PackMade:
    """`tix door pack`: the event's pack, signed, holders sealed for the door key (made
    at `key_path`, 0600, the first time)."""
    signer = runtime.ticket_signer
    key = load_or_make_key(key_path, public_key_of(signer))
    with runtime.uow(readonly=True) as uow:
        pack = gather(uow, principal, event_reference, now=runtime.clock.now(),
                      seal=key.seal, only_list=only_list)
    size = write_pack(output, pack, signer)
    return PackMade(path=output, key_path=key_path, pack=pack, size=size)


class DeviceDoor:
    """A door device: its pack, its key, its log. No database, no network."""

    def __init__(self, pack_path: Path, key_path: Path, *, device: str, list_name: str,
                 clerk: str, log_path: Path | None = None,
                 now: Callable[[], datetime] | None = None) -> None:
        if not device.strip() or any(c in device for c in "/\\\n"):
            raise Invalid("a device is named by a word, e.g. gate-a", field="device")
        self.key_path, self.pack_path, self.device = key_path, pack_path, device
        self.key: DoorKey = load_key(key_path)
        self.pack, verifier = read_pack(pack_path, self.key)
        self.log_path = log_path or pack_path.with_name(f"{device}.scans")
        newest = newest_pack(self.log_path, self.pack.event_id, self.pack.made_at)
        if newest > self.pack.made_at:
            raise Invalid(f"{pack_path} (made {self.pack.made_at:%Y-%m-%d %H:%M} UTC) is "
                          f"older than the pack {device} last ran on (made "
                          f"{newest:%Y-%m-%d %H:%M} UTC): use the newer pack",
                          code="pack_superseded")
        self.log = ScanLogFile(self.log_path, device=device, event_id=self.pack.event_id,
                               key=self.key.log_key)
        self.door = OfflineDoor(self.pack, verifier, device=device, list_name=list_name,
                                clerk=clerk, known=self.log.scans())
        self._now = now or SystemClock().now
        self._lock = threading.Lock()

    def close(self) -> None:
        self.log.close()

    def __enter__(self) -> DeviceDoor:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def scan(self, payload: str, *, kind: ScanKind = ScanKind.ADMIT,
             reason: str = "") -> OfflineVerdict:
        """Check a code in and record the scan (refusals too) before answering."""
        with self._lock:  # one scan at a time: the log is one chain
            verdict = self.door.scan(payload, self._now(), kind=kind, reason=reason)
            try:
                self.log.append(verdict.scan)
            except TixError:
                self.door.forget(verdict.scan)  # not on disk: it did not happen
                raise
        return verdict

    def holder(self, ticket: PackTicket) -> str:
        return self.key.open(ticket.id, ticket.holder) or "(sealed)"

    def merged(self) -> Merged:
        with self._lock:
            scans = self.log.scans()
        return merge(self.pack.scans, scans,
                     numbers={t.id: t.number for t in self.pack.tickets})


@dataclass(frozen=True)
class SyncResult:
    new: int  # records this device's log did not have before
    sent: int  # records sent to a LAN peer
    merged: Merged  # everything this device knows now, replayed
    pack: DoorPack  # the pack it runs on now (a fresh one, after the server)
    stale: tuple[str, ...]  # why the pack this device ran on is out of date ("" none)
    uploaded: tuple[int, int] | None = None  # the server's (new, already known)
    fresh_pack: PackMade | None = None


def sync(door: DeviceDoor, *, files: Sequence[Path] = (), peer: str | None = None,
         runtime: Runtime | None = None, principal: Principal | None = None) -> SyncResult:
    """Merge this device's log with logs in files (a USB stick), a LAN peer's and, given
    a runtime, the server's: this device's scans go up, and a fresh pack (the others'
    scans, new revocations) replaces the device's pack file."""
    new = door.log.add([read_log(path, door.key.log_key) for path in files])
    sent = 0
    if peer is not None:
        host, _, port = peer.rpartition(":")
        if not host or not port.isdigit() or not 0 < int(port) < 65536:
            raise Invalid("--peer is HOST:PORT, e.g. 192.168.1.20:7700", field="peer")
        sent, received = exchange(host.strip("[]"), int(port), door.log, door.key)
        new += received
    reasons = [f"{door.device}'s pack does not know that {number} was revoked (another "
               "door refused it)" for number in stale_revocations(door.pack, door.log.scans())]
    uploaded, made = None, None
    if runtime is not None and principal is not None:
        with runtime.uow() as uow:
            may_work_the_door(uow, principal, door.pack.event_id)
            recorded = record_scans(uow, [s for s in door.log.scans()
                                          if door.pack.ticket(s.ticket_id) is not None],
                                    runtime.clock.now())
            uow.commit()
        uploaded = (len(recorded.new), recorded.known)
        made = make_pack(runtime, principal, door.pack.event_id, door.pack_path,
                         key_path=door.key_path)
        if door.pack.stale_against(made.pack.last_revocation_at):
            reasons.append(f"the pack was made before the last revocation the server "
                           f"knows ({made.pack.last_revocation_at:%Y-%m-%d %H:%M} UTC)")
        reasons = reasons if not made else [f"{r}: replaced by a fresh pack" for r in reasons]
    pack = made.pack if made else door.pack
    merged = merge(pack.scans, door.log.scans(),
                   numbers={t.id: t.number for t in pack.tickets})
    return SyncResult(new=new, sent=sent, merged=merged, pack=pack, stale=tuple(reasons),
                      uploaded=uploaded, fresh_pack=made)


def serve_log(door: DeviceDoor, *, host: str, port: int, once: bool = False,
              ready: Callable[[int], None] | None = None,
              told: Callable[[str], None] | None = None) -> None:
    """`tix door serve`: answer LAN exchanges of this device's log."""
    serve(door.log, door.key, host=host, port=port, once=once, ready=ready, told=told)
