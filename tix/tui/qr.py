"""A QR code drawn with text, for a terminal (the CLI's `ticket show` and the box office).

Half-block characters put two rows of modules in one line, so a ticket's code fits a
phone-scannable square in about 25 lines.
"""

from __future__ import annotations


def qr_text(payload: str) -> str:
    import io

    import qrcode

    code = qrcode.QRCode(border=2)
    code.add_data(payload)
    drawing = io.StringIO()
    code.print_ascii(out=drawing, invert=True)
    return drawing.getvalue().rstrip("\n")
