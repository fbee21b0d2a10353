"""Key files made on first use in the data dir, safely when processes start together."""

from __future__ import annotations

import os
import secrets
from pathlib import Path


def created_once(path: Path, text: str) -> str:
    """The file's text: `text`, written there (0600) if there is no file yet, else what
    another process wrote first. Never half a file: it is written aside, then linked into
    place, which fails when the name is taken."""
    path.parent.mkdir(parents=True, exist_ok=True)
    aside = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    fd = os.open(aside, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "w") as handle:
            handle.write(text)
        try:
            os.link(aside, path)
        except FileExistsError:  # another process made it first: theirs counts
            return path.read_text()
        return text
    finally:
        aside.unlink(missing_ok=True)
