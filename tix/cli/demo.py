"""tix demo: a living system in one command, for trying tix out."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

import typer

from tix.cli.output import JsonFlag, confirm, emit, say, table
from tix.cli.state import state

DEMO_PASSWORD = "Demo-pass-2026!"
DEMO_USERS = [
    ("admin@demo.tix", "Ada Admin", "admin"),
    ("organizer@demo.tix", "Otto Organizer", "organizer"),
    ("clerk@demo.tix", "Clara Clerk", "clerk"),
    ("customer@demo.tix", "Cem Customer", "customer"),
]


def demo(
    ctx: typer.Context,
    reset: Annotated[bool, typer.Option(
        "--reset", help="Erase ALL data in the database first, then seed.")] = False,
    yes: Annotated[bool, typer.Option("--yes", help="Do not ask before --reset.")] = False,
    json_: JsonFlag = False,
) -> None:
    """Seed verified demo accounts (admin, organizer, clerk, customer)."""
    from tix.core.errors import RuleViolation
    from tix.core.principal import Role

    cli = state(ctx)
    runtime = cli.runtime
    if reset:
        if not yes:
            confirm(f"Erase every account, event and order in {_where(cli)}?",
                    nothing_done="nothing erased")
        from tix.operations import erase_all_data

        erase_all_data(runtime)
    created = []
    for email, name, role in DEMO_USERS:
        try:
            runtime.accounts.register(email=email, password=DEMO_PASSWORD, name=name,
                                      date_of_birth=date(1990, 1, 1), role=Role(role),
                                      verified=True)
            created.append(email)
        except RuleViolation:
            pass  # already seeded: demo is safe to run twice
    from tix.cli.demo_catalog import seed_catalog

    # The events are the demo organizer's, created in a session of theirs.
    login = runtime.accounts.login(email="organizer@demo.tix", password=DEMO_PASSWORD,
                                   host="tix demo")
    events = seed_catalog(runtime, login.principal)
    runtime.accounts.logout(login.token)
    if events:
        from tix.cli.demo_catalog import seed_sales

        # Sold by the admin, so the demo clerk starts with no purchases of their own.
        seller = runtime.accounts.login(email="admin@demo.tix", password=DEMO_PASSWORD,
                                       host="tix demo")
        seed_sales(runtime, seller.principal)
        runtime.accounts.logout(seller.token)
    accounts = [{"email": e, "name": n, "role": r, "password": DEMO_PASSWORD,
                 "login": f"echo '{DEMO_PASSWORD}' | tix login --email {e} --password-stdin"}
                for e, n, r in DEMO_USERS]
    emit({"accounts": accounts, "created": created, "events_created": events},
         as_json=json_, human=_print)


def _where(cli: Any) -> str:
    url: str = cli.settings.database_url
    return url.split("@")[-1]


def _print(data: dict[str, Any]) -> None:
    table(["role", "email", "log in with"],
          [[a["role"], a["email"], a["login"]] for a in data["accounts"]],
          title="tix demo accounts")
    say("Events to browse: `tix event list`, `tix event show E1`.")
    say("Mail lands in the Maildir of your data dir; `tix daemon --once` delivers it.")


def register(app: typer.Typer) -> None:
    app.command("demo")(demo)
