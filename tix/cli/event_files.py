"""Reading an event file (YAML or JSON) so that an error can point at its line."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from tix.core.errors import Invalid, TixError

PATH = re.compile(r"^([a-z_]+(?:\[\d+\])?(?:\.[a-z_]+)?):")


def read_event_file(path: Path) -> tuple[dict[str, Any], Any]:
    """The mapping in the file, and a handle to find lines (None for JSON)."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise Invalid(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError) as error:
        raise Invalid(f"{path}: cannot read it: {error}") from None
    if path.suffix.lower() == ".json":
        try:
            data = json.loads(text)
        except json.JSONDecodeError as error:
            raise Invalid(f"{path}:{error.lineno}: not valid JSON: {error.msg}") from None
        nodes = None
    else:
        import yaml

        try:
            nodes = yaml.compose(text, Loader=yaml.SafeLoader)
            data = yaml.safe_load(text)
        except yaml.YAMLError as error:
            mark = getattr(error, "problem_mark", None)
            line = f":{mark.line + 1}" if mark is not None else ""
            raise Invalid(f"{path}{line}: not valid YAML: "
                          f"{getattr(error, 'problem', None) or error}") from None
    if not isinstance(data, dict):
        raise Invalid(f"{path}: must hold one event (a mapping of fields)")
    return data, nodes


def locate(error: TixError, path: Path, nodes: Any) -> TixError:
    """The same error, prefixed with file and (YAML) line of the field it names."""
    match = PATH.match(error.message)
    line = _line(nodes, match.group(1)) if match and nodes is not None else None
    where = f"{path}:{line}" if line else str(path)
    return type(error)(f"{where}: {error.message}", code=error.code) if isinstance(
        error, Invalid) else error


def _line(nodes: Any, field_path: str) -> int | None:
    """The 1-based line of a field like `ticket_types[1].price` in a composed YAML tree."""
    import yaml

    node = nodes
    for step in re.findall(r"[a-z_]+|\[\d+\]", field_path):
        if step.startswith("[") and isinstance(node, yaml.SequenceNode):
            index = int(step[1:-1])
            if index >= len(node.value):
                break
            node = node.value[index]
        elif isinstance(node, yaml.MappingNode):
            values = [value for key, value in node.value if key.value == step]
            if not values:
                break
            node = values[0]
        else:
            break
    return None if node is nodes else node.start_mark.line + 1
