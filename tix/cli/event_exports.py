"""tix event attendees | orders | sales: an event's back office in files and tables — the
attendee list and the orders as CSV or JSON (streamed, audited), the sales report per
ticket type or per day. They join the `tix event` group (tix/cli/event.py)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from tix.cli.ids import EventId
from tix.cli.output import JsonFlag, emit, say
from tix.cli.state import state
from tix.core.errors import Invalid

if TYPE_CHECKING:
    from tix.core.exports import Export
    from tix.core.orders.sales_report import SalesReport

FormatOption = Annotated[str, typer.Option(
    "--format", metavar="csv|json", help="CSV (a header row, then a row each) or one JSON "
                                         "array.")]
OutputOption = Annotated[Path | None, typer.Option(
    "--output", "-o", help="Write to FILE (created whole, mode 0600) instead of stdout.")]

def attach(event_app: typer.Typer) -> None:
    """Add the commands to `tix event`."""
    event_app.command("attendees")(attendees)
    event_app.command("orders")(orders)
    event_app.command("sales")(sales)


def attendees(ctx: typer.Context, event: EventId, format_: FormatOption = "csv",
              output: OutputOption = None) -> None:
    """The attendee list: every ticket with its type, holder, buyer's email, order,
    answers to the event's questions (a column each) and check-in state (the admission
    standing now, and the first scan). Read in batches and written row by row, whatever
    the size. The event's organizer and admins get everything; a clerk gets the list
    without names, addresses and answers. Every export is audited."""
    from tix.export_files import export_format, write_rows
    from tix.export_tables import attendee_table
    from tix.json_shapes import attendee_json

    fmt = export_format(format_)
    cli = state(ctx)
    export = cli.runtime.tickets.attendee_lists.attendees(cli.principal(), event,
                                                          purpose=fmt)
    header, csv_row = attendee_table(export)
    count = write_rows(export.rows, fmt=fmt, output=output, total=export.total,
                       header=header, csv_row=csv_row, json_row=attendee_json,
                       label=f"E{export.event_number} attendees")
    _done(export, count, output, "attendee(s)")


def orders(ctx: typer.Context, event: EventId, format_: FormatOption = "csv",
           output: OutputOption = None) -> None:
    """The event's orders, oldest first: number, status, buyer's email, lines, amounts,
    discount, refunded, tender and times (the event's organizer and admins). CSV amounts
    are decimals of the currency column; JSON's are minor units, as everywhere in tix.
    Streamed and audited like the attendee list."""
    from tix.export_files import export_format, write_rows
    from tix.export_tables import ORDER_COLUMNS, order_row
    from tix.json_shapes import exported_order_json

    fmt = export_format(format_)
    cli = state(ctx)
    export = cli.runtime.orders.exports.of_event(cli.principal(), event, purpose=fmt)
    count = write_rows(export.rows, fmt=fmt, output=output, total=export.total,
                       header=ORDER_COLUMNS, csv_row=order_row, json_row=exported_order_json,
                       label=f"E{export.event_number} orders")
    _done(export, count, output, "order(s)")


def sales(ctx: typer.Context, event: EventId,
          by: Annotated[str, typer.Option(
              "--by", metavar="type|day", help="One row per ticket type (with sold, held "
                                               "and left) or per day of sale.")] = "type",
          json_: JsonFlag = False) -> None:
    """Sales of your event (its organizer, or an admin): per ticket type or per day
    (in the event's time zone), what was paid, refunded, the payment fees and what is
    left (net). Every order that was paid counts, a cancelled one with its refund; test
    orders do not. Fees are 0 for now — no payment service reports them to tix yet; the
    column is there for when one does. A refund of an order of several types is shared
    over them by what each cost. --json has both the types (`lines`) and the `days`."""
    if by not in ("type", "day"):
        raise Invalid(f"--by {by!r}: choose type or day", field="by")
    cli = state(ctx)
    report = cli.runtime.orders.sales(cli.principal(), event, breakdown=True)
    emit(report, as_json=json_, human=_print_days if by == "day" else _print_types)


def _print_types(report: SalesReport) -> None:
    from tix.cli.layout import Column, clipped, fitted_table, width
    from tix.export_tables import decimal_of

    money = decimal_of(report.currency)
    typer.echo(clipped(f"{report.name} ({report.currency})", width()))
    fitted_table([Column("ticket type", flexible=True),
                  *(Column(name, justify="right") for name in (
                      "sold", "held", "left", "of", "paid", "refunded", "fees", "net"))],
                 [[line.name, str(line.sold), str(line.held), str(line.available),
                   str(line.quantity), money(line.gross), money(line.refunded),
                   money(line.fees), money(line.net)] for line in report.lines])
    _print_totals(report)


def _print_days(report: SalesReport) -> None:
    from tix.cli.layout import Column, clipped, fitted_table, width
    from tix.export_tables import decimal_of

    money = decimal_of(report.currency)
    typer.echo(clipped(f"{report.name} ({report.currency})", width()))
    fitted_table([Column("day"), *(Column(name, justify="right") for name in (
                     "orders", "tickets", "paid", "refunded", "fees", "net"))],
                 [[day.day.isoformat(), str(day.orders), str(day.tickets), money(day.gross),
                   money(day.refunded), money(day.fees), money(day.net)]
                  for day in report.days])
    if not report.days:
        say("No paid orders yet.")
    _print_totals(report)


def _print_totals(report: SalesReport) -> None:
    from tix.core.catalog.money import format_money

    typer.echo(f"Paid {format_money(report.gross, report.currency)}, refunded "
               f"{format_money(report.refunded, report.currency)}, fees "
               f"{format_money(report.fees, report.currency)}: net "
               f"{format_money(report.net, report.currency)}.")


def _done(export: Export[Any], count: int, output: Path | None, what: str) -> None:
    where = f" to {output}" if output is not None else ""
    say(f"Exported {count} {what} of E{export.event_number}{where}.")
    if not export.personal_data:
        say("Names, addresses and answers are left out: only the event's organizer and "
            "admins see them.")
