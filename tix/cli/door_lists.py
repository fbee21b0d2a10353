"""tix door list … and tix door find: an event's check-in lists (which door admits which
ticket types, and whether it lets people back in), and finding a ticket by its holder's
name or its number when a phone is dead. Both join the `tix door` group (tix/cli/door.py).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import typer

from tix.cli.ids import EventId
from tix.cli.output import JsonFlag, emit, say, table
from tix.cli.state import state

if TYPE_CHECKING:
    from tix.core.tickets.door import CheckinList

lists_app = typer.Typer(help="An event's check-in lists: which door admits which ticket "
                             "types. Every event has \"main\" (all types, no re-entry).",
                        no_args_is_help=True)

ListName = Annotated[str, typer.Argument(metavar="LIST", help="The list's name, e.g. VIP.")]


def _list_json(checkin_list: CheckinList, type_refs: dict[str, str]) -> dict[str, Any]:
    return {"event_id": checkin_list.event_id, "name": checkin_list.name,
            "ticket_types": sorted(type_refs.get(t, t) for t in checkin_list.ticket_type_ids),
            "reentry": checkin_list.reentry}


def _type_refs(ctx: typer.Context, event: str) -> dict[str, str]:
    """Ticket type ids → E12-T2, to show lists as they were typed."""
    cli = state(ctx)
    return cli.runtime.tickets.ticket_type_refs(cli.principal(), event)


@lists_app.command("add")
def add(ctx: typer.Context, event: EventId, name: ListName,
        type_: Annotated[list[str] | None, typer.Option(
            "--type", metavar="TYPE", help="A ticket type it admits (E12-T2); repeat for "
                                          "more. None: every type.")] = None,
        reentry: Annotated[bool, typer.Option(
            "--reentry", help="Let a ticket that went out (checkin --exit) back in.")
                           ] = False,
        json_: JsonFlag = False) -> None:
    """Add a check-in list to your event (the organizer, or an admin)."""
    cli = state(ctx)
    made = cli.runtime.tickets.add_list(cli.principal(), event, name, type_ or [],
                                        reentry=reentry)
    emit(_list_json(made, _type_refs(ctx, event)), as_json=json_, human=lambda d: say(
        f"List {d['name']} added: {', '.join(d['ticket_types']) or 'every ticket type'}"
        f"{', with re-entry' if d['reentry'] else ', no re-entry'}."))


@lists_app.command("ls")
def ls(ctx: typer.Context, event: EventId, json_: JsonFlag = False) -> None:
    """The event's check-in lists, with how many are admitted and inside on each."""
    cli = state(ctx)
    principal = cli.principal()
    found = cli.runtime.tickets.lists(principal, event)
    counts = {c.name: c for c in cli.runtime.tickets.door(principal, event).lists}
    refs = _type_refs(ctx, event)
    rows = []
    for checkin_list in found:
        count = counts.get(checkin_list.name)
        rows.append({**_list_json(checkin_list, refs),
                     "admitted": count.admitted if count else 0,
                     "inside": count.inside if count else 0, "of": count.of if count else 0})
    emit(rows, as_json=json_, human=lambda data: table(
        ["list", "ticket types", "re-entry", "admitted", "inside", "of"],
        [[r["name"], ", ".join(r["ticket_types"]) or "all", "yes" if r["reentry"] else "no",
          str(r["admitted"]), str(r["inside"]), str(r["of"])] for r in data]))


@lists_app.command("rm")
def rm(ctx: typer.Context, event: EventId, name: ListName, json_: JsonFlag = False) -> None:
    """Remove a check-in list (its scans stay in the log; "main" stays)."""
    cli = state(ctx)
    cli.runtime.tickets.remove_list(cli.principal(), event, name)
    emit({"name": name, "removed": True}, as_json=json_,
         human=lambda d: say(f"List {d['name']} removed."))


def find(ctx: typer.Context, event: EventId,
         query: Annotated[str, typer.Argument(
             metavar="NAME_OR_NUMBER", help="Words of the holder's name (any case, any "
                                            "accents), or the ticket's number (E12-000123, "
                                            "123).")],
         json_: JsonFlag = False) -> None:
    """Find an event's tickets by holder or number (a dead phone): then admit one with
    tix checkin --number E12-000123."""
    cli = state(ctx)
    found = cli.runtime.tickets.find(cli.principal(), event, query)
    data = [{"number": f.ticket.number, "holder": f.ticket.holder,
             "ticket_type": f.ticket_type, "state": f.state, "status": f.ticket.status.value,
             "id": f.ticket.id} for f in found]
    emit(data, as_json=json_, human=lambda rows: table(
        ["number", "holder", "type", "state"],
        [[r["number"], r["holder"], r["ticket_type"], r["state"]] for r in rows])
        if rows else say("No ticket of the event matches."))


def attach(door: typer.Typer) -> None:
    """Join the `tix door` group."""
    door.add_typer(lists_app, name="list")
    door.command("find")(find)
