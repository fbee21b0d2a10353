"""Widgets more than one screen shows."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from textual.widgets import Static

from tix.tui.text import escape

if TYPE_CHECKING:
    from tix.tui.app import TixApp


class HoldCountdown(Static):
    """The hold's time left, always in view while it runs; a warning in its last minute.

    The app owns the hold and decides what expiry means; this only shows it.
    """

    def on_mount(self) -> None:
        self.refresh_countdown()
        self.set_interval(1, self.refresh_countdown)

    def refresh_countdown(self) -> None:
        app = cast("TixApp", self.app)
        hold = app.hold
        if hold is None:
            self.update("")
            self.display = False
            return
        left = int((hold.expires_at - app.runtime.clock.now()).total_seconds())
        self.display = True
        self.set_class(left < 60, "warning")
        if left <= 0:
            self.update("Hold expired: the tickets went back on sale")
            app.hold_expired()
            return
        self.update(f"Hold: {left // 60}:{left % 60:02d} left · {escape(app.hold_label)}")


# A five-row block font for the door's verdict, readable from a step away.
_GLYPHS = {
    "A": [" ███ ", "█   █", "█████", "█   █", "█   █"],
    "D": ["████ ", "█   █", "█   █", "█   █", "████ "],
    "E": ["█████", "█    ", "████ ", "█    ", "█████"],
    "F": ["█████", "█    ", "████ ", "█    ", "█    "],
    "I": ["█████", "  █  ", "  █  ", "  █  ", "█████"],
    "M": ["█   █", "██ ██", "█ █ █", "█   █", "█   █"],
    "R": ["████ ", "█   █", "████ ", "█  █ ", "█   █"],
    "S": [" ████", "█    ", " ███ ", "    █", "████ "],
    "T": ["█████", "  █  ", "  █  ", "  █  ", "  █  "],
    "U": ["█   █", "█   █", "█   █", "█   █", " ███ "],
}


def big_word(word: str) -> str:
    """ADMITTED or REFUSED in block letters, five lines."""
    return "\n".join(" ".join(_GLYPHS[letter][row] for letter in word) for row in range(5))
