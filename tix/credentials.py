"""The stored login: a JSON file in the config dir, readable by its owner only (0600)."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

from tix.core.errors import NotAuthenticated


@dataclass(frozen=True)
class StoredLogin:
    token: str
    email: str
    expires_at: str


def save(path: Path, login: StoredLogin) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp")
    # Created with 0600 from the start: no moment where another user could read it.
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        json.dump(login.__dict__, handle)
    os.chmod(temporary, 0o600)
    os.replace(temporary, path)


def load(path: Path) -> StoredLogin:
    try:
        data = json.loads(path.read_text())
        return StoredLogin(token=data["token"], email=data["email"],
                           expires_at=data["expires_at"])
    except FileNotFoundError:
        raise NotAuthenticated("not logged in: run `tix login --email ...` first",
                               code="not_logged_in") from None
    except (OSError, ValueError, KeyError, TypeError, RecursionError):  # hand-edited
        raise NotAuthenticated(f"the stored login in {path} is unreadable: log in again",
                               code="not_logged_in") from None


def clear(path: Path) -> None:
    path.unlink(missing_ok=True)
