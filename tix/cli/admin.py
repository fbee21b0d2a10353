"""tix admin …: for an operator on the database host (no login needed)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

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
    from tix.core.principal import Role

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
    from tix.core.principal import Role

    parsed = Role.parse(role)
    state(ctx).runtime.accounts.grant(email, parsed)
    say(f"{email} is now {parsed.value}.")


@app.command()
def unlock(ctx: typer.Context, email: str) -> None:
    """Open an account locked after failed logins."""
    state(ctx).runtime.accounts.unlock(email)
    say(f"{email} is unlocked.")


@app.command()
def audit(
    ctx: typer.Context,
    verify: Annotated[bool, typer.Option(
        "--verify", help="Check the hash chain: exit 5 naming any edited or deleted entry.")
    ] = False,
    limit: Annotated[int, typer.Option(min=1, max=10_000, help="How many entries.")] = 50,
    json_: JsonFlag = False,
) -> None:
    """The audit trail: the newest entries, or --verify the whole chain."""
    from tix.core.errors import RuleViolation

    runtime = state(ctx).runtime
    if verify:
        runtime.audit.seal()  # entries written since the daemon's last pass join the chain
        report = runtime.audit.verify()
        data = {"intact": report.intact, "checked": report.checked,
                "unsealed": report.unsealed, "problems": report.problems}
        emit(data, as_json=json_, human=lambda d: say(
            f"Audit trail intact: {d['checked']} entries chained." if d["intact"] else
            "Audit trail BROKEN:\n  " + "\n  ".join(d["problems"])))
        if not report.intact:
            raise RuleViolation(f"the audit trail was tampered with ({len(report.problems)} "
                                "problem(s))", code="audit_broken")
        return
    entries = runtime.audit.newest(limit)
    rows = [{"position": e.position, "at": e.at, "action": e.action, "actor": e.actor,
             "subject": e.subject, "origin": e.origin, "details": e.details} for e in entries]
    emit(rows, as_json=json_, human=_print_audit)


def _print_audit(rows: list[dict[str, Any]]) -> None:
    from tix.cli.output import table

    table(["#", "when (UTC)", "action", "actor", "subject", "from"],
          [[str(r["position"] or "…"), f"{r['at']:%Y-%m-%d %H:%M:%S}", r["action"], r["actor"],
            r["subject"], r["origin"]] for r in rows])


@app.command("export")
def export_user(
    ctx: typer.Context,
    email: str,
    output: Annotated[Path | None, typer.Option("-o", "--output", help="Write to a file.")
                      ] = None,
) -> None:
    """GDPR: everything held about a user, as JSON."""
    from tix.cli.account import write_export

    runtime = state(ctx).runtime
    user_id = runtime.accounts.id_of(email)
    write_export(output, lambda: runtime.privacy.export(user_id))


@app.command()
def erase(
    ctx: typer.Context,
    email: str,
    yes: Annotated[bool, typer.Option("--yes", help="Confirm: this cannot be undone.")] = False,
) -> None:
    """GDPR: anonymise a user's account for good."""
    from tix.core.errors import Invalid

    if not yes:
        raise Invalid("erasing an account cannot be undone: add --yes to confirm")
    runtime = state(ctx).runtime
    runtime.privacy.erase(runtime.accounts.id_of(email))
    say(f"{email} was anonymised.")


@app.command("rotate-key")
def rotate_key(
    ctx: typer.Context,
    new_key: Annotated[bool, typer.Option(
        "--new-key", help="Make a new key in the data dir's key file first.")] = False,
    json_: JsonFlag = False,
) -> None:
    """Re-encrypt personal data with the current key, in batches (safe to re-run)."""
    from tix.operations import rotate_encryption_key

    key_id, changed = rotate_encryption_key(
        state(ctx).runtime, new_key=new_key,
        progress=lambda table, rows: say(f"  {table}: {rows} row(s) re-encrypted"))
    emit({"key_id": key_id, "rows": changed}, as_json=json_,
         human=lambda d: say(f"Every personal value is now under key {d['key_id']} "
                             f"({d['rows']} row(s) changed)."))


@app.command("signing-key")
def signing_key(ctx: typer.Context) -> None:
    """The public key scanners use to verify tickets offline (PEM)."""
    runtime = state(ctx).runtime
    typer.echo(runtime.ticket_signer.public_key_pem(), nl=False)
