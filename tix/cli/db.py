"""tix db upgrade"""

from __future__ import annotations

import typer

from tix.cli.output import JsonFlag, emit, say
from tix.cli.state import state

app = typer.Typer(help="The database schema.", no_args_is_help=True)


@app.command()
def upgrade(ctx: typer.Context, json_: JsonFlag = False) -> None:
    """Apply every pending migration (SQLite or PostgreSQL)."""
    from tix.operations import upgrade_database

    revision = upgrade_database(state(ctx).settings)
    emit({"revision": revision}, as_json=json_,
         human=lambda d: say(f"Database schema at revision {d['revision']}."))
