"""What every box-office screen shares: the app it belongs to, and plain-worded errors."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast
from zoneinfo import ZoneInfo

from rich.text import Text
from textual.screen import ModalScreen, Screen

if TYPE_CHECKING:
    from tix.bootstrap import Runtime
    from tix.core.catalog.search import EventSummary
    from tix.core.principal import Principal
    from tix.tui.app import TixApp


def event_choice(event: EventSummary) -> tuple[Text, str]:
    """(label, id) of an event in a chooser: its name and local start, as plain text (a
    name is user text: "[b]" in it must not be taken for a style)."""
    local = event.starts_at.astimezone(ZoneInfo(event.timezone))
    return Text(f"{event.name} · {local:%d %b %H:%M}"), event.id


class TixScreen(Screen[Any]):
    @property
    def tix(self) -> TixApp:
        return cast("TixApp", self.app)

    @property
    def runtime(self) -> Runtime:
        return self.tix.runtime

    @property
    def principal(self) -> Principal:
        assert self.tix.principal is not None, "screens past sign-in have a principal"
        return self.tix.principal


class TixModal(ModalScreen[Any]):
    @property
    def tix(self) -> TixApp:
        return cast("TixApp", self.app)
