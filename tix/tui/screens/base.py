"""What every box-office screen shares: the app it belongs to, and plain-worded errors."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from textual.screen import ModalScreen, Screen

if TYPE_CHECKING:
    from tix.bootstrap import Runtime
    from tix.core.accounts.service import Principal
    from tix.tui.app import TixApp


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
