"""Reading an event file (YAML or JSON) so that an error can point at its line."""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path
from typing import Any

from tix.core.errors import Invalid, TixError

PATH = re.compile(r"^([a-z_]+(?:\[\d+\])?(?:\.[a-z_]+)?):")
# An event nests four levels (event, ticket types, a ticket type, a value). Deeper than
# this is refused as the file is read: the parsers recurse, and so would the checks that
# quote a value back.
MAX_NESTING = 64
JSON_NESTING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[\[\]{}]', re.DOTALL)  # strings skipped


def read_event_file(path: Path) -> tuple[dict[str, Any], Any]:
    """The mapping in the file, and a handle to find lines (None for JSON)."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise Invalid(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError) as error:
        raise Invalid(f"{path}: cannot read it: {error}") from None
    if path.suffix.lower() == ".json":
        deep = _json_nested_too_deeply(text)
        if deep is not None:
            raise _too_deep(path, deep)
        try:
            data = json.loads(text)
        except json.JSONDecodeError as error:
            raise Invalid(f"{path}:{error.lineno}: not valid JSON: {error.msg}") from None
        except RecursionError:  # cannot happen within MAX_NESTING: never exit 1 all the same
            raise _too_deep(path, None) from None
        nodes = None
    else:
        import yaml

        loader = _nesting_limited_loader()
        try:
            nodes = yaml.compose(text, Loader=loader)
            data = yaml.load(text, Loader=loader)  # a SafeLoader
        except _NestedTooDeeply as error:
            raise _too_deep(path, error.line) from None
        except RecursionError:
            raise _too_deep(path, None) from None
        except yaml.YAMLError as error:
            mark = getattr(error, "problem_mark", None)
            line = f":{mark.line + 1}" if mark is not None else ""
            raise Invalid(f"{path}{line}: not valid YAML: "
                          f"{getattr(error, 'problem', None) or error}") from None
    if not isinstance(data, dict):
        raise Invalid(f"{path}: must hold one event (a mapping of fields)")
    return data, nodes


class _NestedTooDeeply(Exception):
    def __init__(self, line: int) -> None:
        super().__init__(line)
        self.line = line


def _too_deep(path: Path, line: int | None) -> Invalid:
    where = f"{path}:{line}" if line is not None else str(path)
    return Invalid(f"{where}: nested too deeply (at most {MAX_NESTING} levels)")


def _json_nested_too_deeply(text: str) -> int | None:
    """The line where JSON text opens its level MAX_NESTING + 1, if it does."""
    depth = 0
    for token in JSON_NESTING.finditer(text):
        bracket = token.group()
        if bracket in ("[", "{"):
            depth += 1
            if depth > MAX_NESTING:
                return text.count("\n", 0, token.start()) + 1
        elif bracket in ("]", "}"):
            depth -= 1
    return None


@cache
def _nesting_limited_loader() -> Any:
    """YAML's safe loader, refusing a list or mapping nested deeper than MAX_NESTING as it
    composes the document (composing recurses once per level)."""
    import yaml

    class NestingLimitedLoader(yaml.SafeLoader):
        depth = 0

        def compose_node(self, parent: Any, index: Any) -> Any:
            event = self.peek_event()  # type: ignore[no-untyped-call]
            level = isinstance(event, yaml.SequenceStartEvent | yaml.MappingStartEvent)
            if level and self.depth >= MAX_NESTING:
                raise _NestedTooDeeply(event.start_mark.line + 1)
            self.depth += level
            try:
                return super().compose_node(parent, index)
            finally:
                self.depth -= level

    return NestingLimitedLoader


def locate(error: TixError, path: Path, nodes: Any) -> TixError:
    """The same error, prefixed with file and (YAML) line of the field it names."""
    match = PATH.match(error.message)
    line = _line(nodes, match.group(1)) if match and nodes is not None else None
    where = f"{path}:{line}" if line else str(path)
    return error.reworded(f"{where}: {error.message}") if isinstance(error, Invalid) else error


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
