"""tix box-office: the full-screen terminal app."""

from __future__ import annotations

import typer

from tix.cli.state import state


def box_office(ctx: typer.Context) -> None:
    """The full-screen box office: sell, scan and watch sales."""
    from tix.heap import settle
    from tix.tui.app import TixApp

    app = TixApp(state(ctx).runtime)
    settle()  # start-up done: full collections skip what lives as long as the app
    app.run()


def register(app: typer.Typer) -> None:
    app.command("box-office")(box_office)
