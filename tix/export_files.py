"""Writing an export's rows as they stream in, as CSV or as one JSON array: to stdout, or
to a file that appears whole or not at all (written beside it, renamed at the end); a
progress bar on stderr when a person watches a terminal and the data goes elsewhere (or
the caller's own progress: the box office's modal). Every face's exports write here."""

from __future__ import annotations

import contextlib
import csv
import json
import os
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any, TypeVar

from tix.core.errors import Invalid
from tix.core.exports import EXPORT_FORMATS
from tix.json_shapes import to_jsonable

T = TypeVar("T")

PROGRESS_EVERY = 500  # rows between two redraws of the bar
# A cell a spreadsheet would read as a formula (a holder named "=HYPERLINK(…)"): quoted
# with an apostrophe, as OWASP advises for CSV; JSON carries the text as it is.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def export_format(value: str) -> str:
    """--format's value, or Invalid (exit 2) in one line."""
    normal = value.strip().lower()
    if normal not in EXPORT_FORMATS:
        raise Invalid(f"--format {value!r}: choose {' or '.join(EXPORT_FORMATS)}",
                      field="format")
    return normal


def write_rows(rows: Iterator[T], *, fmt: str, output: Path | None, total: int,
               header: list[str], csv_row: Callable[[T], list[Any]],
               json_row: Callable[[T], dict[str, Any]], label: str,
               progress: Callable[[int], None] | None = None) -> int:
    """Write every row; returns how many. A failure leaves no file behind and stops the
    reading (the export's audit entry then says how far it got). `progress` is told the
    rows written so far, instead of the terminal's bar."""
    try:
        shown = (_progress(label, total, output) if progress is None
                 else contextlib.nullcontext(progress))
        with _destination(output) as stream, shown as advance:
            count = 0
            if fmt == "csv":
                writer = csv.writer(stream)
                writer.writerow(header)
                for row in rows:
                    writer.writerow([_cell(value) for value in csv_row(row)])
                    count += 1
                    if count % PROGRESS_EVERY == 0:
                        advance(count)
            else:
                stream.write("[")
                for row in rows:
                    stream.write(",\n  " if count else "\n  ")
                    stream.write(json.dumps(to_jsonable(json_row(row)), ensure_ascii=False))
                    count += 1
                    if count % PROGRESS_EVERY == 0:
                        advance(count)
                stream.write("\n]\n" if count else "]\n")
            advance(count)
        return count
    except OSError as error:  # a full disk, a file system gone read-only
        raise Invalid(f"cannot write {output or 'stdout'}: "
                      f"{error.strerror or error}") from None
    finally:
        close = getattr(rows, "close", None)
        if close is not None:
            close()  # a generator left half-read: its audit entry is written now


def _cell(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


@contextlib.contextmanager
def _destination(output: Path | None) -> Iterator[IO[str]]:
    if output is None:
        yield sys.stdout
        sys.stdout.flush()
        return
    partial = output.with_name(f".{output.name}.partial")
    try:
        # 0600: an attendee list is personal data
        handle = open(  # noqa: SIM115  (closed below, after the caller wrote to it)
            os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "w",
            encoding="utf-8", newline="")
    except (OSError, ValueError) as error:
        raise Invalid(f"cannot write {output}: "
                      f"{getattr(error, 'strerror', None) or error}") from None
    try:
        with handle:
            yield handle
        os.replace(partial, output)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise


@contextlib.contextmanager
def _progress(label: str, total: int, output: Path | None
              ) -> Iterator[Callable[[int], None]]:
    """A bar on stderr when it is a terminal and stdout is not where the rows go to it."""
    if not sys.stderr.isatty() or (output is None and sys.stdout.isatty()):
        yield lambda _done: None
        return
    from rich.console import Console
    from rich.progress import Progress

    with Progress(console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task(label, total=total or None)
        yield lambda done: bar.update(task, completed=done)
