"""What every command shares: the settings, the runtime (built on first use) and the caller."""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer

from tix import credentials

if TYPE_CHECKING:
    from tix.bootstrap import Runtime
    from tix.config import Settings
    from tix.core.principal import Principal


class CliState:
    def __init__(self, runtime: Runtime | None = None, settings: Settings | None = None) -> None:
        self._runtime = runtime
        self._settings = settings or (runtime.settings if runtime else None)
        self._owns_runtime = runtime is None

    @property
    def settings(self) -> Settings:
        if self._settings is None:
            from tix.config import load_settings

            self._settings = load_settings()
        return self._settings

    @property
    def runtime(self) -> Runtime:
        if self._runtime is None:
            from tix.bootstrap import bootstrap

            self._runtime = bootstrap(self.settings)
        return self._runtime

    def principal(self) -> Principal:
        """The logged-in user; NotAuthenticated (exit 3) if there is none."""
        stored = credentials.load(self.settings.credentials_path)
        return self.runtime.accounts.authenticate(stored.token)

    def close(self) -> None:
        if self._owns_runtime and self._runtime is not None:
            self._runtime.close()


def state(ctx: typer.Context) -> CliState:
    obj = ctx.find_root().obj
    assert isinstance(obj, CliState)
    return obj
