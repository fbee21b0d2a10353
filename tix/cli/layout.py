"""Tables that fit the terminal (80 columns when nothing says otherwise) without wrapping:
ids, numbers, prices and times are never cut; free text (names, venues) gives way first,
shortened with an ellipsis — the whole of it is in --json."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

GAP = 2  # between columns: a space of padding and a space of separator
NARROWEST = 8  # free text is not cut below this (then the terminal wraps what is left)


@dataclass(frozen=True)
class Column:
    header: str
    flexible: bool = False  # free text: may be shortened with "…" to make room
    justify: Literal["left", "right"] = "left"


def fitted_table(columns: list[Column], rows: list[list[str]], *,
                 title: str | None = None) -> None:
    """Print rows under their headers on stdout, one line per row."""
    from rich import box
    from rich.cells import cell_len
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    console = Console()  # as width(): the terminal's, else $COLUMNS, else 80
    natural = [max([cell_len(c.header), *(cell_len(row[i]) for row in rows)])
               for i, c in enumerate(columns)]
    widths = _fit(natural, [c.flexible for c in columns],
                  console.width - GAP * (len(columns) - 1))
    grid = Table(title=title, box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False,
                 padding=(0, 1, 0, 0), header_style="bold")
    for column, width in zip(columns, widths, strict=True):
        grid.add_column(column.header, justify=column.justify, no_wrap=True,
                        overflow="ellipsis", max_width=width if column.flexible else None,
                        min_width=None if column.flexible else width)
    for row in rows:
        grid.add_row(*(Text(cell) for cell in row))  # text as given: no markup
    console.print(grid)


def width() -> int:
    """The terminal's width, else $COLUMNS, else 80."""
    from rich.console import Console

    return Console().width


def clipped(text: str, room: int) -> str:
    """Text cut with "…" to `room` cells (for a name inside a line that must fit)."""
    from rich.text import Text

    line = Text(text)
    line.truncate(max(room, 1), overflow="ellipsis")
    return line.plain


def wrapped(text: str) -> str:
    """Prose broken at words to the terminal's width (a long word, a URL, stays whole)."""
    import textwrap

    room = width()
    return "\n".join(textwrap.fill(line, room, break_long_words=False,
                                    break_on_hyphens=False) or line
                      for line in text.splitlines())


def _fit(natural: list[int], flexible: list[bool], room: int) -> list[int]:
    """Widths: the widest free-text column gives up a character at a time until all fit."""
    widths = list(natural)
    while sum(widths) > room:
        shrinkable = [i for i, f in enumerate(flexible) if f and widths[i] > NARROWEST]
        if not shrinkable:
            break
        widest = max(shrinkable, key=lambda i: widths[i])
        widths[widest] -= 1
    return widths
