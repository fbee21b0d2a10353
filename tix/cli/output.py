"""Output: stdout is data (one JSON document with --json), messages go to stderr."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer

from tix.json_shapes import json_document

JsonFlag = Annotated[bool, typer.Option("--json", help="Print one JSON document.")]


def emit(data: Any, *, as_json: bool, human: Callable[[Any], None] | None = None) -> None:
    if as_json:
        sys.stdout.write(json_document(data))
    elif human is not None:
        human(data)
    else:
        sys.stdout.write(f"{data}\n")


def say(message: str) -> None:
    """A message for the person at the terminal (stderr, so stdout stays data)."""
    typer.echo(message, err=True)


def save_file(output: Path, data: bytes) -> None:
    """Write a document the user asked for; a path that cannot be written is bad input."""
    from tix.core.errors import Invalid

    try:
        output.write_bytes(data)
    except (OSError, ValueError) as error:  # ValueError: a NUL in the path
        raise Invalid(f"cannot write {output}: {getattr(error, 'strerror', None) or error}"
                      ) from None
    say(f"Wrote {output}.")


def printable(text: str) -> str:
    """Text that quotes what the user gave (a file's field, an id), its control characters
    shown escaped, so they can neither break the line nor move the cursor."""
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


def fail(message: str) -> None:
    """One line on stderr."""
    typer.echo(f"tix: {printable(message)}", err=True)


def confirm(question: str, *, nothing_done: str) -> None:
    """Ask at the terminal; without one (a script, a pipe) nothing is done unasked: exit 2
    with a line saying so, never click's "Aborted!"."""
    from tix.core.errors import Invalid

    if not sys.stdin.isatty():
        raise Invalid(f"{nothing_done}: no terminal to ask on (add --yes)")
    try:
        if typer.confirm(printable(question), err=True):
            return
    except typer.Abort:  # Ctrl-D or Ctrl-C at the prompt
        pass
    raise Invalid(f"{nothing_done} (confirm, or add --yes)")


def table(columns: list[str], rows: list[list[str]], title: str | None = None) -> None:
    from rich.console import Console
    from rich.table import Table

    grid = Table(title=title, show_edge=False, header_style="bold")
    for column in columns:
        grid.add_column(column, overflow="fold")  # ids are for copying: never cut them
    for row in rows:
        grid.add_row(*row)
    # A terminal gets its own width; a pipe gets long lines rather than wrapped cells.
    Console(width=None if sys.stdout.isatty() else 200).print(grid)
