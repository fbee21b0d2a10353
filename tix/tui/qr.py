"""A QR code drawn with text, for a terminal (the CLI's `ticket show` and the box office).

Half-block characters put two rows of modules in one line, so a module is about square
in a terminal cell (a cell is twice as tall as it is wide).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Sequence

# (top module dark, bottom module dark) -> the cell that draws them in the foreground
_HALF_BLOCKS = {(True, True): "█", (True, False): "▀", (False, True): "▄",
                (False, False): " "}


def qr_text(payload: str) -> str:
    import io

    import qrcode

    code = qrcode.QRCode(border=2)
    code.add_data(payload)
    drawing = io.StringIO()
    code.print_ascii(out=drawing, invert=True)
    return drawing.getvalue().rstrip("\n")


def qr_matrix(payload: str, *, most_modules: int) -> list[list[bool]]:
    """The payload's modules (True: dark), without a quiet zone: error correction M (as on
    the PDF) when it fits `most_modules` a side, else L (a screen is never smudged, and
    L keeps a ticket's ~130 characters at 41 modules: 21 lines)."""
    import qrcode
    from qrcode.constants import ERROR_CORRECT_L, ERROR_CORRECT_M

    matrix: list[list[bool]] = []
    for level in (ERROR_CORRECT_M, ERROR_CORRECT_L):
        code = qrcode.QRCode(error_correction=level, border=0)
        code.add_data(payload)
        code.make(fit=True)
        matrix = code.get_matrix()
        if len(matrix) <= most_modules:
            break
    return matrix


def half_block_lines(matrix: Sequence[Sequence[bool]]) -> list[str]:
    """Dark modules drawn in the foreground colour, two rows of modules a line."""
    rows = [list(row) for row in matrix]
    if len(rows) % 2:
        rows.append([False] * len(rows[0]))
    return ["".join(_HALF_BLOCKS[top, bottom] for top, bottom in zip(upper, lower,
                                                                     strict=True))
            for upper, lower in zip(rows[::2], rows[1::2], strict=True)]
