"""The terminal as a camera sees it: an image rebuilt from the cells the app drew.

Each cell becomes two pixels, one above the other (a cell is twice as tall as it is
wide): the half blocks ▀ ▄ █ and a space are drawn exactly, in their foreground and
background colours; any other character counts as a solid block of its foreground, the
worst a scanner could see of text next to a code.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PIL.Image import Image
    from rich.style import Style
    from textual.app import App

# which half of the cell shows the foreground: (top, bottom)
_HALVES = {"▀": (True, False), "▄": (False, True), "█": (True, True), " ": (False, False)}
_BLACK, _WHITE = (0, 0, 0), (255, 255, 255)


def _colours(style: Style | None) -> tuple[tuple[int, int, int], tuple[int, int, int]]:
    if style is None:
        return _WHITE, _BLACK
    fore = tuple(style.color.get_truecolor()) if style.color else _WHITE
    back = tuple(style.bgcolor.get_truecolor()) if style.bgcolor else _BLACK
    if style.reverse:
        fore, back = back, fore
    return fore, back  # type: ignore[return-value]


def screen_image(app: App, scale: int = 6) -> Image:
    """The app's screen, as it is now, `scale` pixels a module."""
    from PIL import Image
    from rich.cells import cell_len

    strips = app.screen._compositor.render_strips()
    width, height = app.size
    image = Image.new("RGB", (width, height * 2), _BLACK)
    for y, strip in enumerate(strips):
        x = 0
        for segment in strip:
            fore, back = _colours(segment.style)
            for character in segment.text:
                top, bottom = _HALVES.get(character, (True, True))
                for _ in range(cell_len(character)):  # a wide character takes two cells
                    image.putpixel((x, 2 * y), fore if top else back)
                    image.putpixel((x, 2 * y + 1), fore if bottom else back)
                    x += 1
    return image.resize((width * scale, height * 2 * scale), Image.Resampling.NEAREST)


def decoded_qr_codes(app: App) -> list[str]:
    """What a QR reader makes of the screen."""
    from pyzbar.pyzbar import ZBarSymbol, decode

    return [found.data.decode() for found in decode(screen_image(app).convert("L"),
                                                     symbols=[ZBarSymbol.QRCODE])]
