"""tix event team EVENT add|remove|list: the people who work an event, each with one role
for that event alone."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from tix.cli.ids import required
from tix.cli.output import JsonFlag, emit, say, table
from tix.cli.state import state
from tix.json_shapes import team_change_json, team_member_json

app = typer.Typer(
    help="""An event's team: who sells and scans for it, and who shares its organizing.

Roles, for this event only (whatever the person's role elsewhere):

\b
  co-organizer  what the organizer does (update, publish, codes, sales, door lists,
                the team's clerks and door people), except cancelling the event
                and choosing co-organizers
  clerk         sells at the counter and in the box office, and works the door
  door          scans tickets in, makes door packs, looks tickets up

A clerk or door person on no event's team sells and scans nothing; admins need no team.""",
    no_args_is_help=True)

EmailArgument = Annotated[str, typer.Argument(
    metavar="EMAIL", help="The person's account address.",
    callback=required("an email address"))]


@app.callback()
def team(ctx: typer.Context, event: Annotated[str, typer.Argument(
        metavar="EVENT", help="Event id or number (E12).",
        callback=required("an event id"))]) -> None:
    """The team of EVENT: its organizer, its co-organizers and admins see and change it."""
    ctx.meta["team_event"] = event


@app.command("add")
def add(ctx: typer.Context, email: EmailArgument,
        role: Annotated[str, typer.Option(
            "--role", metavar="co-organizer|clerk|door",
            help="Their role for this event; someone on the team already gets this role "
                 "instead.")],
        json_: JsonFlag = False) -> None:
    """Put someone on the event's team (co-organizers: the organizer or an admin only)."""
    from tix.core.catalog.model import TeamRole

    cli = state(ctx)
    wanted = TeamRole.parse(role)
    change = cli.runtime.teams.add(cli.principal(), ctx.meta["team_event"], email, wanted)
    emit(team_change_json(change), as_json=json_, human=lambda d: say(
        f"{d['email']} is on the team of {d['event']} as {d['role']}"
        + (f" (was {d['was']})." if d["was"] else ".")))


@app.command("remove")
def remove(ctx: typer.Context, email: EmailArgument, json_: JsonFlag = False) -> None:
    """Take someone off the event's team: from now on they sell and scan nothing for it."""
    cli = state(ctx)
    change = cli.runtime.teams.remove(cli.principal(), ctx.meta["team_event"], email)
    emit(team_change_json(change), as_json=json_, human=lambda d: say(
        f"{d['email']} ({d['role']}) is off the team of {d['event']}."))


@app.command("list")
def list_(ctx: typer.Context, json_: JsonFlag = False) -> None:
    """The event's team: co-organizers, clerks, then the door, by name (times in UTC)."""
    cli = state(ctx)
    rows = [team_member_json(entry)
            for entry in cli.runtime.teams.list(cli.principal(), ctx.meta["team_event"])]

    def human(data: list[dict[str, Any]]) -> None:
        if not data:
            say("No one is on the team yet: tix event team EVENT add EMAIL --role ROLE.")
            return
        table(["email", "name", "role", "added (UTC)"],
              [[r["email"], r["name"], r["role"], f"{r['added_at']:%Y-%m-%d %H:%M}"]
               for r in data])

    emit(rows, as_json=json_, human=human)
