"""What the box office remembers between runs (the door's event), in the user config dir.

A preference is a convenience: a file that cannot be read or written is ignored, never
an error in the clerk's way.
"""

from __future__ import annotations

import json
from pathlib import Path

FILE_NAME = "box-office.json"


def load(config_dir: Path) -> dict[str, str]:
    try:
        stored = json.loads((config_dir / FILE_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(stored, dict):
        return {}
    return {k: v for k, v in stored.items() if isinstance(k, str) and isinstance(v, str)}


def remember(config_dir: Path, key: str, value: str) -> None:
    stored = load(config_dir)
    if stored.get(key) == value:
        return
    stored[key] = value
    try:
        config_dir.mkdir(parents=True, exist_ok=True)
        (config_dir / FILE_NAME).write_text(json.dumps(stored, indent=2) + "\n",
                                            encoding="utf-8")
    except OSError:
        pass
