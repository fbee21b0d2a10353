"""Two door devices exchange their scan logs over the LAN, with no server: one runs
`tix door serve`, the other `tix door sync --peer HOST:PORT`.

One TCP connection, one message each way: the caller's event id and log, then the
server's log once it has merged the caller's in. A message is a 4-byte length, the JSON,
and an HMAC-SHA256 of it under a key derived from the door key, which both devices hold:
a stranger on the network can neither pass off a log nor change one. Nothing but the
event id and the logs crosses; each side checks every chain it receives before keeping
a record of it.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import socket
import struct
from collections.abc import Callable
from typing import Any

from tix.adapters.door.keys import DoorKey
from tix.adapters.door.log_file import ScanLogFile
from tix.core.errors import Invalid, Unavailable
from tix.core.tickets.scan_log import LogRecord, read_lines, to_line

MAX_MESSAGE = 256 * 1024 * 1024  # 100,000 scans are ~40 MB
TIMEOUT = 30.0


def _sync_key(key: DoorKey) -> bytes:
    return hashlib.sha256(b"tix door sync\n" + key.log_key).digest()


def _send(sock: socket.socket, key: DoorKey, message: dict[str, Any]) -> None:
    body = json.dumps(message, separators=(",", ":")).encode()
    mac = hmac.new(_sync_key(key), body, hashlib.sha256).digest()
    sock.sendall(struct.pack(">I", len(body)) + body + mac)


def _receive_exactly(sock: socket.socket, size: int) -> bytes:
    chunks, left = [], size
    while left:
        chunk = sock.recv(min(left, 1 << 20))
        if not chunk:
            raise Unavailable("the other device hung up mid-exchange", code="peer_gone")
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def _receive(sock: socket.socket, key: DoorKey) -> dict[str, Any]:
    (size,) = struct.unpack(">I", _receive_exactly(sock, 4))
    if size > MAX_MESSAGE:
        raise Invalid("the other device sent too much", code="peer_refused")
    body = _receive_exactly(sock, size)
    mac = _receive_exactly(sock, 32)
    if not hmac.compare_digest(mac, hmac.new(_sync_key(key), body, hashlib.sha256).digest()):
        raise Invalid("the other device does not hold this door key", code="peer_untrusted")
    message = json.loads(body)
    if not isinstance(message, dict):
        raise Invalid("the other device's message is not an exchange of logs",
                      code="peer_refused")
    return message


def _records(message: dict[str, Any], key: DoorKey) -> list[LogRecord]:
    lines = message.get("log")
    if not isinstance(lines, list) or not all(isinstance(line, str) for line in lines):
        raise Invalid("the other device's message holds no log", code="peer_refused")
    return read_lines(lines, key.log_key)  # every record and every chain checked


def exchange(host: str, port: int, log: ScanLogFile, key: DoorKey) -> tuple[int, int]:
    """Send this log to the device serving at host:port, keep what it sends back;
    returns (records sent, records received that were new here)."""
    try:
        with socket.create_connection((host, port), timeout=TIMEOUT) as sock:
            _send(sock, key, {"event_id": log.event_id,
                              "log": [to_line(r) for r in log.records]})
            answer = _receive(sock, key)
    except OSError as error:
        raise Unavailable(f"cannot reach the door device at {host}:{port}: "
                          f"{error.strerror or error}", code="peer_unreachable") from None
    if answer.get("error"):
        raise Invalid(f"the other device refused: {answer['error']}", code="peer_refused")
    return len(log.records), log.add([_records(answer, key)])


def serve(log: ScanLogFile, key: DoorKey, *, host: str = "0.0.0.0", port: int = 0,
          once: bool = False, ready: Callable[[int], None] | None = None,
          told: Callable[[str], None] | None = None) -> None:
    """Answer exchanges one at a time (a log changes under one writer), until stopped
    (or after the first, `once`). `ready(port)` once listening; `told(line)` after each."""
    with socket.create_server((host, port)) as server:
        if ready is not None:
            ready(server.getsockname()[1])
        while True:
            connection, address = server.accept()
            with connection:
                connection.settimeout(TIMEOUT)
                line = _answer(connection, log, key)
            if told is not None:
                told(f"{address[0]}: {line}")
            if once:
                return


def _answer(connection: socket.socket, log: ScanLogFile, key: DoorKey) -> str:
    try:
        message = _receive(connection, key)
        if message.get("event_id") != log.event_id:
            _send(connection, key, {"error": "a log of another event"})
            return "refused: a log of another event"
        new = log.add([_records(message, key)])
        _send(connection, key, {"event_id": log.event_id,
                                "log": [to_line(r) for r in log.records]})
        return f"{new} new record(s) merged, {len(log.records)} sent back"
    except (Invalid, Unavailable) as error:
        with contextlib.suppress(OSError):
            _send(connection, key, {"error": error.message})
        return f"refused: {error.message}"
    except (OSError, ValueError, struct.error) as error:
        return f"exchange failed: {error}"
