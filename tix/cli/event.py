"""tix event …: create and manage events (organizers); find them (everyone)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from tix.cli.ids import EventId
from tix.cli.output import JsonFlag, emit, say
from tix.cli.state import state
from tix.core.errors import Invalid
from tix.json_shapes import event_json, event_summary_json, quota_json

if TYPE_CHECKING:
    from tix.core.catalog.search import EventDetails, EventSummary

app = typer.Typer(help="Events: create and manage them, find them.", no_args_is_help=True)

FileOption = Annotated[Path | None, typer.Option(
    "--file", "-f", help="The event as YAML or JSON (what organizers script).")]
TicketTypeOption = Annotated[list[str] | None, typer.Option(
    "--ticket-type", help='"NAME:PRICE:QUANTITY[:LIMIT]", PRICE in major units; repeatable.')]
CapacityOption = Annotated[int | None, typer.Option(
    "--capacity", help="Tickets of every type together at most (the venue holds N).")]


def parse_ticket_type_option(text: str) -> dict[str, Any]:
    """`NAME:PRICE:QUANTITY[:LIMIT]`: one --ticket-type as the event spec's mapping (the
    spec checks the values; this only splits the CLI's syntax)."""
    parts = text.rsplit(":", 3) if text.count(":") >= 3 else text.rsplit(":", 2)
    if len(parts) < 3:
        raise Invalid(f"--ticket-type {text!r}: expected NAME:PRICE:QUANTITY[:LIMIT]")
    spec: dict[str, Any] = {"name": parts[0], "price": parts[1], "quantity": parts[2]}
    if len(parts) == 4:
        spec["limit"] = parts[3]
    return spec


@app.command()
def create(
    ctx: typer.Context,
    file: FileOption = None,
    name: Annotated[str | None, typer.Option(help="The event's name.")] = None,
    description: Annotated[str | None, typer.Option(help="What it is about.")] = None,
    category: Annotated[str | None, typer.Option(
        help="music, sports, theatre, comedy, conference, festival, family, other.")] = None,
    venue: Annotated[str | None, typer.Option(help="Where.")] = None,
    city: Annotated[str | None, typer.Option(help="The venue's city.")] = None,
    address: Annotated[str | None, typer.Option(help="The venue's address.")] = None,
    image_url: Annotated[str | None, typer.Option("--image-url", help="An image.")] = None,
    starts: Annotated[str | None, typer.Option(help="Local start, e.g. 2026-12-31T20:00.")
                      ] = None,
    ends: Annotated[str | None, typer.Option(help="Local end.")] = None,
    timezone: Annotated[str | None, typer.Option(help="IANA zone, e.g. Europe/Berlin.")
                        ] = None,
    currency: Annotated[str, typer.Option(help="ISO 4217 code.")] = "EUR",
    ticket_type: TicketTypeOption = None,
    capacity: CapacityOption = None,
    draft: Annotated[bool, typer.Option(
        "--draft", help="A draft: seen by you and admins, sold by nobody until "
                        "tix event publish.")] = False,
    test_mode: Annotated[bool, typer.Option(
        "--test-mode", help="Its orders are test orders, left out of sales reports "
                            "(until test_mode: false in an update).")] = False,
    json_: JsonFlag = False,
) -> None:
    """Create an event with its ticket types (organizers); prints its number (E12)."""
    options = {"name": name, "description": description, "category": category,
               "venue": venue, "city": city, "address": address, "image_url": image_url,
               "starts": starts, "ends": ends, "timezone": timezone, "capacity": capacity,
               "status": "draft" if draft else None, "test_mode": True if test_mode else None}
    spec: dict[str, Any] = {k: v for k, v in options.items() if v is not None}
    spec["currency"] = currency
    if ticket_type:
        spec["ticket_types"] = [parse_ticket_type_option(t) for t in ticket_type]
    cli = state(ctx)
    principal = cli.principal()
    event_id = _with_file(file, spec, lambda merged: cli.runtime.catalog.create(
        principal, merged))
    details = cli.runtime.catalog.show(event_id, principal, with_hidden=True)
    emit(event_json(details), as_json=json_,
         human=lambda _: typer.echo(f"E{details.summary.number}"))


@app.command()
def update(
    ctx: typer.Context,
    event: EventId,
    file: FileOption = None,
    name: Annotated[str | None, typer.Option()] = None,
    description: Annotated[str | None, typer.Option()] = None,
    category: Annotated[str | None, typer.Option()] = None,
    venue: Annotated[str | None, typer.Option()] = None,
    city: Annotated[str | None, typer.Option()] = None,
    address: Annotated[str | None, typer.Option()] = None,
    image_url: Annotated[str | None, typer.Option("--image-url")] = None,
    starts: Annotated[str | None, typer.Option(help="New local start.")] = None,
    ends: Annotated[str | None, typer.Option(help="New local end.")] = None,
    ticket_type: TicketTypeOption = None,
    capacity: CapacityOption = None,
    json_: JsonFlag = False,
) -> None:
    """Change an event (its organizer or an admin); holders hear of new times or places."""
    options = {"name": name, "description": description, "category": category,
               "venue": venue, "city": city, "address": address, "image_url": image_url,
               "starts": starts, "ends": ends, "capacity": capacity}
    changes: dict[str, Any] = {k: v for k, v in options.items() if v is not None}
    if ticket_type:
        changes["ticket_types"] = [parse_ticket_type_option(t) for t in ticket_type]
    cli = state(ctx)
    principal = cli.principal()
    event_id = _with_file(file, changes, lambda merged: cli.runtime.catalog.update(
        principal, event, merged))
    emit(event_json(cli.runtime.catalog.show(event_id, principal, with_hidden=True)),
         as_json=json_,
         human=lambda _: say(f"Updated {event}."))


@app.command()
def publish(ctx: typer.Context, event: EventId, json_: JsonFlag = False) -> None:
    """Put a draft on sale (its organizer or an admin): found, shown and sold from now."""
    cli = state(ctx)
    principal = cli.principal()
    event_id = cli.runtime.catalog.publish(principal, event)
    emit(event_json(cli.runtime.catalog.show(event_id, principal, with_hidden=True)),
         as_json=json_,
         human=lambda _: say(f"Published {event}: it is on sale."))


@app.command()
def cancel(
    ctx: typer.Context,
    event: EventId,
    reason: Annotated[str, typer.Option(help="Told to ticket holders.")] = "",
    json_: JsonFlag = False,
) -> None:
    """Cancel an event: holders are told and refunded in full."""
    cli = state(ctx)
    event_id = cli.runtime.catalog.cancel(cli.principal(), event, reason)
    emit({"id": event_id, "status": "CANCELLED"}, as_json=json_,
         human=lambda _: say(f"Cancelled {event}; holders will be mailed and refunded."))


@app.command("list")
def list_(
    ctx: typer.Context,
    query: Annotated[str, typer.Argument(help="Words to search for.")] = "",
    category: Annotated[str | None, typer.Option(help="Only this category.")] = None,
    city: Annotated[str | None, typer.Option(
        help="Only this city; case and accents aside (Zurich finds Zürich).")] = None,
    from_: Annotated[str | None, typer.Option("--from", help="Starting on or after DATE.")
                     ] = None,
    to: Annotated[str | None, typer.Option(help="Starting before DATE.")] = None,
    currency: Annotated[str | None, typer.Option(
        help="Only events priced in this ISO code (EUR); prices below are then in it.")
                        ] = None,
    min_price: Annotated[str | None, typer.Option("--min-price", help=(
        "Some ticket at least this, in major units: of --currency, or else of each "
        "event's own (30 is 30 JPY for a yen event, 30 EUR for a euro one)."))] = None,
    max_price: Annotated[str | None, typer.Option("--max-price", help=(
        "Some ticket at most this, in major units as --min-price."))] = None,
    available: Annotated[bool, typer.Option(
        "--available", help="Only events with tickets left.")] = False,
    sort: Annotated[str, typer.Option(help=(
        "date, price or popularity. price: cheapest first within each currency, the "
        "currencies in alphabetical order (--currency for one)."))] = "date",
    limit: Annotated[int, typer.Option(min=1, max=100, help="Events per page.")] = 20,
    page_: Annotated[int | None, typer.Option(
        "--page", min=1, max=100_000, help="Page N of --limit each (1 is the first).")
                     ] = None,
    offset: Annotated[int, typer.Option(min=0, max=10_000_000, help=(
        "Skip this many events (--page is simpler)."))] = 0,
    all_: Annotated[bool, typer.Option("--all", help="Past and cancelled events too.")
                    ] = False,
    json_: JsonFlag = False,
) -> None:
    """Find events (no login needed). When there are more than a page, stderr says how
    many ("20 of 31 — --limit/--page for more"); stdout stays the page alone."""
    from tix.cli.paging import page_hint, page_offset
    from tix.cli.search_options import search_query

    page = state(ctx).runtime.catalog.search(search_query(
        text=query, category=category, city=city, starts_from=from_, until=to,
        currency=currency, min_price=min_price, max_price=max_price,
        only_available=available, sort=sort, limit=limit,
        offset=page_offset(page_, offset, limit), include_all=all_, with_total=True))
    hint = page_hint(page)
    emit([event_summary_json(r) for r in page.results], as_json=json_,
         human=lambda _: _print_results(page.results, past_the_end=hint is not None))
    if hint is not None:
        say(hint)


@app.command()
def suggest(ctx: typer.Context, prefix: str, json_: JsonFlag = False) -> None:
    """Event names for a search box: best first, at most 8, typos forgiven on PostgreSQL."""
    found = state(ctx).runtime.catalog.suggest(prefix)
    emit([{"id": s.event_id, "name": s.name, "starts_at": s.starts_at} for s in found],
         as_json=json_, human=lambda rows: typer.echo("\n".join(r["name"] for r in rows)))


@app.command()
def show(ctx: typer.Context, event: EventId, json_: JsonFlag = False) -> None:
    """An event with every ticket type's price and live availability (a draft: to its
    organizer and admins only)."""
    cli = state(ctx)
    viewer = _viewer(cli)
    details = cli.runtime.catalog.show(event, viewer, with_hidden=True)  # to its managers
    quotas = cli.runtime.catalog.quotas(event, viewer)
    questions = cli.runtime.catalog.questions(event, viewer)
    shown = event_json(details)
    if quotas:  # shared capacity: the capacity (name null) and the named quotas
        shown["quotas"] = [quota_json(q) for q in quotas]
    if questions:  # as the event file writes them
        from tix.core.catalog.questions import questions_as_spec

        shown["questions"] = questions_as_spec(questions)
    emit(shown, as_json=json_, human=lambda _: _print_details(details, quotas, questions))


def _viewer(cli: Any) -> Any:
    """Who is looking, if anyone is signed in (a draft is shown to its organizer)."""
    from tix.core.errors import NotAuthenticated

    try:
        return cli.principal()
    except NotAuthenticated:
        return None


def _with_file(file: Path | None, options: dict[str, Any], act: Any) -> str:
    """Options override the file's fields; errors point at the file's line."""
    if file is None:
        result: str = act(options)
        return result
    from tix.cli.event_files import locate, read_event_file

    data, nodes = read_event_file(file)
    try:
        result = act({**data, **options})
    except Invalid as error:
        raise locate(error, file, nodes) from None
    return result


def _local(moment: datetime, zone: str) -> str:
    from zoneinfo import ZoneInfo

    return moment.astimezone(ZoneInfo(zone)).isoformat()


def _price_range(summary: EventSummary) -> str:
    from tix.core.catalog.money import format_money

    low = format_money(summary.min_price, summary.currency)
    if summary.min_price == summary.max_price:
        return low
    high = format_money(summary.max_price, summary.currency)
    return f"{low.rsplit(' ', 1)[0]}–{high}"  # noqa: RUF001  (a range: en dash)


def _print_results(results: list[EventSummary], *, past_the_end: bool = False) -> None:
    if not results:
        if not past_the_end:  # else the hint says where the pages end
            say("No events found.")
        return
    from tix.cli.layout import Column, fitted_table

    # venue and city share a column: 80 columns leave room for the times and prices whole
    fitted_table([Column("#"), Column("event", flexible=True), Column("starts (local)"),
                  Column("where", flexible=True), Column("price", justify="right"),
                  Column("left", justify="right")],
                 [[f"E{r.number}", r.name,
                   _local(r.starts_at, r.timezone)[:16].replace("T", " "),
                   f"{r.venue}, {r.city}", _price_range(r),
                   "sold out" if r.available == 0 else str(r.available)] for r in results])


def _print_details(details: EventDetails, quotas: list[Any] | None = None,
                   questions: tuple[Any, ...] = ()) -> None:
    from tix.cli.layout import Column, clipped, fitted_table, width, wrapped
    from tix.core.catalog.money import format_money

    s = details.summary
    number, status = f"E{s.number}  ", f"  [{s.status.lower()}]"
    typer.echo(number + clipped(s.name, width() - len(number) - len(status)) + status)
    typer.echo(f"{_local(s.starts_at, s.timezone)[:16].replace('T', ' ')} - "
               f"{_local(s.ends_at, s.timezone)[11:16]} ({s.timezone})")
    typer.echo(wrapped(f"{s.venue}, {details.address + ', ' if details.address else ''}"
                       f"{s.city}"))
    if details.description:
        typer.echo(f"\n{wrapped(details.description)}\n")
    # ref (E12-T2) is what tix hold and tix buy take; the UUID is in --json
    fitted_table([Column("ticket type", flexible=True), Column("ref"),
                  Column("price", justify="right"), Column("left", justify="right"),
                  Column("per person", justify="right")],
                 [[t.name + (" (hidden)" if t.hidden else ""), t.ref,
                   format_money(t.price, t.currency),
                   "sold out" if t.available == 0 else f"{t.available} of {t.quantity}",
                   str(t.limit or "")] for t in details.ticket_types])
    for quota in quotas or []:  # what several types share caps each of them
        what = "Capacity" if quota.name is None else \
            f"{quota.name} area ({', '.join(quota.ticket_types)})"
        left = "full" if quota.available == 0 else f"{quota.available} of {quota.quantity} left"
        typer.echo(wrapped(f"{what}: {left}"))
    if questions:
        typer.echo("\nAsked at checkout:")
    for question in questions:  # what `tix buy --answer KEY=…` answers
        asked = "per ticket" if question.per.value == "ticket" else "once per order"
        choices = f": {' / '.join(question.choices)}" if question.choices else ""
        required = ", required" if question.required else ""
        typer.echo(wrapped(f"  {question.key} — {question.text} ({question.kind.value}, "
                           f"{asked}{required}){choices}"))
