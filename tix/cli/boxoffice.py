"""tix box-office: the full-screen terminal app."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from tix.cli.state import state


def box_office(
    ctx: typer.Context,
    offline: Annotated[Path | None, typer.Option(
        "--offline", metavar="PACK", help="The door with no network: check tickets against "
        "this door pack (tix door pack), no database, no sign-in.")] = None,
    device: Annotated[str, typer.Option(help="This door device's name (with --offline).")
                      ] = "gate",
    list_: Annotated[str, typer.Option("--list", help="The check-in list (with --offline).")
                     ] = "main",
    log: Annotated[Path | None, typer.Option(
        help="The device's scan log (with --offline; default DEVICE.scans beside the pack)."
    )] = None,
    key: Annotated[Path | None, typer.Option(
        help="The door key (with --offline; default door.key in the data dir).")] = None,
) -> None:
    """The full-screen box office: sell, scan and watch sales."""
    from tix.heap import settle

    if offline is not None:
        from tix.door_device import DeviceDoor, default_key_path
        from tix.tui.screens.offline_checkin import OfflineDoorApp

        cli = state(ctx)
        with DeviceDoor(offline, key or default_key_path(cli.settings), device=device,
                        list_name=list_, clerk=device, log_path=log) as door:
            OfflineDoorApp(door).run()
        return
    from tix.tui.app import TixApp

    app = TixApp(state(ctx).runtime)
    settle()  # start-up done: full collections skip what lives as long as the app
    app.run()


def register(app: typer.Typer) -> None:
    app.command("box-office")(box_office)
