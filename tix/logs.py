"""Logging for the daemon: plain lines, or one JSON object per line (TIX_LOG_FORMAT=json)
carrying the message being handled — its id, type and order — through the whole chain."""

from __future__ import annotations

import contextvars
import json
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

# what is being handled right now, in this thread: added to every line logged meanwhile
CONTEXT: contextvars.ContextVar[tuple[tuple[str, str], ...]] = contextvars.ContextVar(
    "tix_log_context", default=())


@contextmanager
def handling(**fields: str) -> Iterator[None]:
    merged = {**dict(CONTEXT.get()), **{k: v for k, v in fields.items() if v}}
    token = CONTEXT.set(tuple(merged.items()))
    try:
        yield
    finally:
        CONTEXT.reset(token)


class JsonLines(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(), "logger": record.name,
            "msg": record.getMessage(), **dict(CONTEXT.get())}
        if record.exc_info:
            line["error"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False)


class WithContext(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        text = super().format(record)
        return text + "".join(f" {k}={v}" for k, v in CONTEXT.get())


def configure(log_format: str) -> None:
    if log_format not in ("text", "json"):
        from tix.core.errors import Invalid

        raise Invalid(f"TIX_LOG_FORMAT: {log_format!r} is not text or json")
    root = logging.getLogger()
    if root.handlers:  # configured already (an embedding process, a test): theirs stands
        return
    handler = logging.StreamHandler()
    handler.setFormatter(JsonLines() if log_format == "json" else WithContext(
        "%(asctime)s %(levelname)s %(name)s %(message)s"))
    root.addHandler(handler)
    root.setLevel(logging.INFO)
