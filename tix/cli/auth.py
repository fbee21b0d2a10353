"""tix login · tix logout · tix whoami"""

from __future__ import annotations

import contextlib
import getpass
import socket
from typing import Annotated, Any

import typer

from tix import credentials
from tix.cli.output import JsonFlag, emit, say
from tix.cli.passwords import PasswordStdin, read_password
from tix.cli.state import state


def login(
    ctx: typer.Context,
    email: Annotated[str, typer.Option(help="Your account's email address.")],
    password_stdin: PasswordStdin = False,
    remember_me: Annotated[bool, typer.Option(
        "--remember-me", help="Stay logged in for 30 days instead of 1 hour.")] = False,
    json_: JsonFlag = False,
) -> None:
    """Log in; the session is stored in your config dir, readable only by you."""
    password = read_password(from_stdin=password_stdin)
    cli = state(ctx)
    result = cli.runtime.accounts.login(email=email, password=password,
                                        remember_me=remember_me, host=_host())
    credentials.save(cli.settings.credentials_path, credentials.StoredLogin(
        token=result.token, email=result.principal.email,
        expires_at=result.expires_at.isoformat()))
    data = {"email": result.principal.email, "role": result.principal.role.value,
            "expires_at": result.expires_at}
    emit(data, as_json=json_, human=lambda d: say(
        f"Logged in as {d['email']} ({d['role']}) until {d['expires_at']:%Y-%m-%d %H:%M} UTC"))


def logout(ctx: typer.Context) -> None:
    """End the stored session (it stops working everywhere at once)."""
    cli = state(ctx)
    path = cli.settings.credentials_path
    try:
        stored = credentials.load(path)
    except Exception:
        say("Not logged in.")
        return
    from tix.core.errors import NotAuthenticated

    # An expired or invalid token: forgetting it locally is all there is to do.
    with contextlib.suppress(NotAuthenticated):
        cli.runtime.accounts.logout(stored.token)
    credentials.clear(path)
    say("Logged out.")


def whoami(ctx: typer.Context, json_: JsonFlag = False) -> None:
    """Who the stored login belongs to."""
    principal = state(ctx).principal()
    data = {"id": principal.user_id, "email": principal.email, "name": principal.name,
            "role": principal.role.value}
    emit(data, as_json=json_, human=_print_identity)


def _print_identity(data: dict[str, Any]) -> None:
    typer.echo(f"{data['email']} ({data['name']}, {data['role']})")


def _host() -> str:
    try:
        return f"{getpass.getuser()}@{socket.gethostname()}"
    except Exception:
        return socket.gethostname()


def register(app: typer.Typer) -> None:
    app.command("login")(login)
    app.command("logout")(logout)
    app.command("whoami")(whoami)
