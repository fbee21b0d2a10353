"""tix account …: register, verify, reset a password."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import typer

from tix.cli.output import JsonFlag, emit, say
from tix.cli.passwords import PasswordStdin, read_password
from tix.cli.state import state

app = typer.Typer(help="Your account: register, verify your email, reset your password.",
                  no_args_is_help=True)

EmailOption = Annotated[str, typer.Option(help="Email address.")]


@app.command()
def register(
    ctx: typer.Context,
    email: EmailOption,
    name: Annotated[str, typer.Option(help="Your full name.")],
    dob: Annotated[str, typer.Option(help="Date of birth, YYYY-MM-DD.")],
    organizer: Annotated[bool, typer.Option(
        "--organizer", help="Register as an organizer (you can create events).")] = False,
    password_stdin: PasswordStdin = False,
    json_: JsonFlag = False,
) -> None:
    """Create an account; a verification mail follows."""
    from tix.core.accounts.model import parse_date_of_birth
    from tix.core.principal import Role

    cli = state(ctx)
    date_of_birth = parse_date_of_birth(dob, cli.runtime.clock.now().date())
    password = read_password(from_stdin=password_stdin, confirm=True)
    user_id = cli.runtime.accounts.register(
        email=email, password=password, name=name, date_of_birth=date_of_birth,
        role=Role.ORGANIZER if organizer else Role.CUSTOMER)
    account = cli.runtime.accounts.get(user_id)
    emit(account, as_json=json_, human=lambda a: say(
        f"Registered {a.email} as {a.role}. Check your mail for the verification command."))


@app.command()
def verify(ctx: typer.Context, token: str, json_: JsonFlag = False) -> None:
    """Confirm your email address with the token from the verification mail."""
    email = state(ctx).runtime.accounts.verify_email(token)
    emit({"email": email, "verified": True}, as_json=json_,
         human=lambda d: say(f"{d['email']} is verified. Log in with `tix login`."))


@app.command("resend-verification")
def resend_verification(ctx: typer.Context, email: EmailOption) -> None:
    """Send a new verification mail (the old token stops working)."""
    state(ctx).runtime.accounts.resend_verification(email)
    say(f"If {email} has an unverified account, a new verification mail is on its way.")


@app.command("forgot-password")
def forgot_password(ctx: typer.Context, email: EmailOption) -> None:
    """Mail a password reset token (valid 15 minutes)."""
    state(ctx).runtime.accounts.forgot_password(email)
    say(f"If {email} has an account, a reset mail is on its way. The token is valid 15 min.")


@app.command("reset-password")
def reset_password(ctx: typer.Context, token: str,
                   password_stdin: PasswordStdin = False) -> None:
    """Choose a new password with the token from the reset mail."""
    password = read_password(from_stdin=password_stdin, confirm=True, prompt="New password")
    email = state(ctx).runtime.accounts.reset_password(token, password)
    say(f"Password changed for {email}; every session was logged out. Log in again.")


@app.command()
def export(
    ctx: typer.Context,
    output: Annotated[Path | None, typer.Option(
        "-o", "--output", help="Write to this file (mode 0600) instead of stdout.")] = None,
) -> None:
    """GDPR: everything tix holds about you, as JSON."""
    cli = state(ctx)
    principal = cli.principal()
    write_export(output, lambda: cli.runtime.privacy.export(principal.user_id, by=principal))


@app.command()
def delete(
    ctx: typer.Context,
    yes: Annotated[bool, typer.Option("--yes", help="Confirm: this cannot be undone.")] = False,
) -> None:
    """GDPR: anonymise your account for good (orders are kept without your name)."""
    from tix.core.errors import Invalid

    if not yes:
        raise Invalid("erasing an account cannot be undone: add --yes to confirm")
    cli = state(ctx)
    principal = cli.principal()
    cli.runtime.privacy.erase(principal.user_id, by=principal)
    from tix import credentials

    credentials.clear(cli.settings.credentials_path)
    say("Your account was anonymised and you are logged out. Goodbye.")


def write_export(output: Path | None, export: Callable[[], object]) -> None:
    """The file is opened (0600) before the export runs: a path that cannot be written
    is refused before the export is made and recorded."""
    import os

    from tix.core.errors import Invalid
    from tix.json_shapes import json_document

    def text() -> str:
        return json_document(export())

    if output is None:
        typer.echo(text(), nl=False)
        return
    try:
        fd = os.open(output, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    except (OSError, ValueError) as error:
        raise Invalid(f"cannot write {output}: {getattr(error, 'strerror', None) or error}"
                      ) from None
    try:
        with os.fdopen(fd, "w") as handle:
            handle.write(text())
    except BaseException:
        output.unlink(missing_ok=True)  # no half-written or empty export left behind
        raise
    say(f"Wrote {output}.")
