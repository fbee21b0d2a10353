"""The root of `tix`: the command groups, and errors turned into one line and an exit code."""

from __future__ import annotations

import os
import sys
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from tix.cli import (
    account,
    admin,
    auth,
    boxoffice,
    daemon,
    db,
    demo,
    door,
    door_lists,
    event,
    event_exports,
    event_message,
    event_team,
    notifications,
    order,
    purchase,
    queue,
    serve,
    ticket,
    till,
    voucher,
)
from tix.cli.errors import line
from tix.cli.output import fail
from tix.cli.state import CliState
from tix.core.errors import Invalid, TixError
from tix.error_table import INTERNAL, exit_code


class TixGroup(TyperGroup):
    """Runs every command inside the error contract of CLI.md."""

    def invoke(self, ctx: typer.Context) -> Any:  # type: ignore[override]
        try:
            return super().invoke(ctx)
        except TixError as error:
            fail(line(error))
            raise typer.Exit(exit_code(error)) from None
        except (typer.Exit, typer.Abort):
            raise
        except UnicodeError:  # bytes in argv or stdin that are not UTF-8
            fail("input is not valid UTF-8 text")
            raise typer.Exit(exit_code(Invalid(""))) from None
        except KeyboardInterrupt:
            fail("interrupted")
            raise typer.Exit(130) from None
        except Exception as error:
            if isinstance(error, ValueError) and "null byte" in str(error):
                fail("input contains a NUL character")  # click's path options choke on it
                raise typer.Exit(exit_code(Invalid(""))) from None
            if hasattr(error, "show") or _debugging(ctx):
                raise  # a usage error (click's exceptions can show themselves): exit 2
            fail(f"internal error: {type(error).__name__}: {error} "
                 "(set TIX_DEBUG=1 for the traceback)")
            raise typer.Exit(INTERNAL) from None


def _debugging(ctx: typer.Context) -> bool:
    """TIX_DEBUG, or `debug = true` in config.toml once the settings were read."""
    if os.environ.get("TIX_DEBUG"):
        return True
    try:
        return bool(ctx.obj.settings.debug)
    except Exception:  # no settings to read: the error being reported may be why
        return False


app = typer.Typer(
    cls=TixGroup,
    name="tix",
    help="Ticketing from your terminal: events, holds, orders, tickets and check-in.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
    rich_markup_mode=None,  # plain help: rendering it with rich costs ~0.1 s per call
    suggest_commands=False,  # click suggests a close command itself: typer's would repeat it
)


def _print_version(asked: bool) -> None:
    if asked:
        from importlib.metadata import PackageNotFoundError, version

        from tix import __version__

        try:
            installed = version("tix")
        except PackageNotFoundError:  # run from a source tree that was never installed
            installed = __version__
        typer.echo(f"tix {installed}")
        raise typer.Exit()


@app.callback()
def root(
    ctx: typer.Context,
    version: Annotated[bool, typer.Option(
        "--version", is_eager=True, callback=_print_version,
        help="Print the version of tix and exit.")] = False,
) -> None:
    if ctx.obj is None:
        ctx.obj = CliState()
    ctx.call_on_close(ctx.obj.close)


auth.register(app)
app.add_typer(account.app, name="account")
app.add_typer(admin.app, name="admin")
app.add_typer(db.app, name="db")
app.add_typer(event.app, name="event")
event.app.add_typer(event_team.app, name="team")
app.add_typer(notifications.app, name="notifications")
app.add_typer(order.app, name="order")
app.add_typer(queue.app, name="queue")
app.add_typer(ticket.app, name="ticket")
app.add_typer(till.app, name="till")
app.add_typer(voucher.app, name="voucher")
demo.register(app)
daemon.register(app)
boxoffice.register(app)
door.register(app)
door_lists.attach(door.app)  # tix door list …, tix door find
event_exports.attach(event.app)  # tix event attendees | orders | sales
event_message.attach(event.app)  # tix event message
purchase.register(app)
serve.register(app)
ticket.register(app)


def main() -> None:
    try:
        app()
    except TixError as error:  # raised while building the state, before any command
        fail(line(error))
        sys.exit(exit_code(error))
