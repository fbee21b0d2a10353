"""The fonts a ticket PDF draws with: shipped in `font_files/` (see its NOTICE.md), registered
with reportlab once per process, and chosen per run of text.

DejaVu Sans draws Latin, Greek and Cyrillic; a character it lacks falls back to the CJK font,
then to the Hangul one; a character none of them has (an emoji) prints as U+FFFD, visibly.
Bold is the regular outline filled and stroked: a second embedded font cost each PDF 0.9 ms
(a third of what fonts add to it), and the CJK and Hangul fonts have no bold cut anyway.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from reportlab.pdfgen.canvas import Canvas

FONT_DIR = Path(__file__).with_name("font_files")
REGULAR = "TixSans"
FALLBACKS = ("TixCJK", "TixHangul")  # in order
FILES = {REGULAR: "DejaVuSans.ttf", "TixCJK": "DroidSansFallback-CJK.ttf",
         "TixHangul": "TixHangul-Regular.ttf"}
BOLD_STROKE = 0.04  # of the font size: the outline's stroke that makes it bold
REPLACEMENT = "\ufffd"
# Joiners, variation selectors, skin tones and tags: part of an emoji sequence, not drawn
# alone (one � for 👍🏽, not two).
INVISIBLE = ((0x200B, 0x200F), (0xFE00, 0xFE0F), (0x1F3FB, 0x1F3FF), (0xE0020, 0xE007F))

_registered: dict[str, frozenset[str]] = {}  # font name -> the characters it draws
_lock = threading.Lock()
_reportlabs_cmap: list[Callable[[str, list[int]], str]] = []


def covered(name: str) -> frozenset[str]:
    """Registers the font on first use (the CJK file takes ~0.1 s to read, so a ticket in
    Latin script never loads it) and returns the characters it has glyphs for."""
    found = _registered.get(name)
    if found is not None:
        return found
    with _lock:  # the daemon renders from several threads
        if name not in _registered:
            from reportlab.pdfbase import pdfmetrics, ttfonts
            from reportlab.pdfbase.ttfonts import TTFont

            if ttfonts.makeToUnicodeCMap is not _to_unicode_cmap:
                _reportlabs_cmap.append(ttfonts.makeToUnicodeCMap)
                ttfonts.makeToUnicodeCMap = _to_unicode_cmap
            # asciiReadable=False: embed only the glyphs used, not all of ASCII per font
            font = TTFont(name, str(FONT_DIR / FILES[name]), asciiReadable=False)
            _remember_subsets(font.face)
            pdfmetrics.registerFont(font)
            _registered[name] = frozenset(map(chr, font.face.charToGlyph))
        return _registered[name]


def _remember_subsets(face: Any) -> None:
    """Each PDF embeds the glyphs it uses, cut out of the font file in Python (~0.5 ms);
    an order's tickets share event, date and venue, often the holder: cut each set once."""
    make = face.makeSubset

    @lru_cache(maxsize=64)
    def made(codes: tuple[int, ...]) -> bytes:
        return bytes(make(list(codes)))

    face.makeSubset = lambda subset: made(tuple(subset))


def _to_unicode_cmap(fontname: str, subset: list[int]) -> str:
    """reportlab's ToUnicode map writes U+1F600 as <1F600>, which a reader takes for U+1F60
    and a stray digit (pdftotext said "ὠ" for 😀); the PDF format wants UTF-16 there, a
    surrogate pair."""
    cmap = _reportlabs_cmap[0](fontname, subset)
    for index, code in enumerate(subset):
        if code > 0xFFFF:
            utf16 = chr(code).encode("utf-16-be").hex().upper()
            cmap = cmap.replace(f"<{index:02X}> <{code:04X}>", f"<{index:02X}> <{utf16}>")
    return cmap


def font_for(char: str) -> str | None:
    if char in covered(REGULAR):
        return REGULAR
    return next((name for name in FALLBACKS if char in covered(name)), None)


def runs(text: str) -> list[tuple[str, str]]:
    """`text` cut into (font name, text) runs, each drawable by its font: "Ann 李" is
    [("TixSans", "Ann "), ("TixCJK", "李")]."""
    if covered(REGULAR).issuperset(text):  # the common case, at C speed
        return [(REGULAR, text)]
    found: list[tuple[str, str]] = []
    for char in text:
        font = font_for(char)
        if font is None:
            if any(low <= ord(char) <= high for low, high in INVISIBLE):
                continue
            font, char = REGULAR, REPLACEMENT
        if found and found[-1][0] == font:
            found[-1] = (font, found[-1][1] + char)
        else:
            found.append((font, char))
    return found


def text_width(text: str, *, size: float, bold: bool = False) -> float:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    stroke = size * BOLD_STROKE if bold else 0.0
    return float(sum(stringWidth(chunk, font, size) for font, chunk in runs(text))) + stroke


def draw_text(page: Canvas, x: float, y: float, text: str, *, size: float,
              bold: bool = False) -> None:
    """One text object, the font switched between runs: the PDF's text layer reads back
    as one line. Bold strokes in the stroke colour: the caller sets it with the fill."""
    line = page.beginText(x, y)
    if bold:
        page.saveState()
        page.setLineWidth(size * BOLD_STROKE)
        line.setTextRenderMode(2)  # fill, then stroke
    for font, chunk in runs(text):
        line.setFont(font, size)
        line.textOut(chunk)
    page.drawText(line)
    if bold:
        page.restoreState()


def fit(text: str, *, size: float, smallest: float, width: float,
        bold: bool = False) -> tuple[str, float]:
    """The text and a font size that fit `width`: smaller down to `smallest`, then cut
    short with an ellipsis (a long event name in CJK is three times as wide as in Latin)."""
    wide = text_width(text, size=size, bold=bold)
    if wide <= width:
        return text, size
    size = max(smallest, size * width / wide)
    while len(text) > 1 and text_width(text, size=size, bold=bold) > width:
        text = text[:-2].rstrip() + "…"
    return text, size
