"""tix admin …: for an operator on the database host (no login needed)."""

from __future__ import annotations

from typing import Annotated

import typer

from tix.cli.output import JsonFlag, emit, say
from tix.cli.passwords import PasswordStdin, read_password
from tix.cli.state import state

app = typer.Typer(help="Administration, for an operator on the database host.",
                  no_args_is_help=True)


@app.command("create-user")
def create_user(
    ctx: typer.Context,
    email: Annotated[str, typer.Option(help="Email address.")],
    name: Annotated[str, typer.Option(help="Full name.")],
    role: Annotated[str, typer.Option(help="admin, organizer, clerk or customer.")],
    password_stdin: PasswordStdin = False,
    json_: JsonFlag = False,
) -> None:
    """Create a verified account with a role."""
    from tix.core.accounts.model import Role

    parsed = Role.parse(role)
    password = read_password(from_stdin=password_stdin, confirm=True)
    cli = state(ctx)
    user_id = cli.runtime.accounts.register(email=email, password=password, name=name,
                                            date_of_birth=None, role=parsed, verified=True)
    account = cli.runtime.accounts.get(user_id)
    emit(account, as_json=json_, human=lambda a: say(f"Created {a.email} ({a.role})."))


@app.command()
def grant(ctx: typer.Context, email: str, role: str) -> None:
    """Give a user a role (customer, organizer, clerk, admin)."""
    from tix.core.accounts.model import Role

    parsed = Role.parse(role)
    state(ctx).runtime.accounts.grant(email, parsed)
    say(f"{email} is now {parsed.value}.")


@app.command()
def unlock(ctx: typer.Context, email: str) -> None:
    """Open an account locked after failed logins."""
    state(ctx).runtime.accounts.unlock(email)
    say(f"{email} is unlocked.")
