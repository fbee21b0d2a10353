"""tix till …: a clerk's cash drawer for one shift at a box office.

Open it with the float counted in, sell (cash sales go into it), close it with what the
drawer holds: the report (sales, cash in, refunds, expected, counted, difference) is
printed and written into the audit chain. Once a clerk has opened a till, a cash sale
needs one open; the clerk may cancel a sale only while the till it went into is open.
"""

from __future__ import annotations

from typing import Annotated, Any

import typer

from tix.cli.output import JsonFlag, emit, say
from tix.cli.state import state
from tix.json_shapes import till_json

app = typer.Typer(help="Your till at the box office: open it at the start of a shift, "
                       "close it with the cash counted at the end.", no_args_is_help=True)

FloatOption = Annotated[str, typer.Option(
    "--float", metavar="AMOUNT", help="The cash in the drawer at the start, in major units "
                                      "(e.g. 100.00).")]
BoxOfficeOption = Annotated[str, typer.Option(
    "--box-office", metavar="NAME", help="Which box office (or window) the till is at.")]
CurrencyOption = Annotated[str, typer.Option(
    "--currency", help="The currency the drawer counts; cash sales in another are refused.")]
CountedOption = Annotated[str, typer.Option(
    "--counted", metavar="AMOUNT", help="The cash counted in the drawer now, in major units "
                                        "(e.g. 1240.00).", show_default=False)]
TillOption = Annotated[str | None, typer.Option(
    "--till", metavar="TILL_ID", help="An admin closing another clerk's till: its id (the "
                                      "clerk's tix till status --json, or till.opened in "
                                      "tix admin audit). Default: your open till.",
    show_default=False)]


@app.command("open")
def open_(
    ctx: typer.Context,
    float_: FloatOption = "0.00",
    box_office: BoxOfficeOption = "main",
    currency: CurrencyOption = "EUR",
    json_: JsonFlag = False,
) -> None:
    """Open your till for a shift (clerks). One till of yours is open at a time (exit 5
    if one is); from your first till on, cash sales need one open (exit 5 otherwise)."""
    cli = state(ctx)
    report = cli.runtime.orders.tills.open(cli.principal(), float_amount=float_,
                                           currency=currency, box_office=box_office)
    emit(till_json(report), as_json=json_, human=_print_opened)


@app.command("status")
def status(ctx: typer.Context, json_: JsonFlag = False) -> None:
    """Your open till so far: cash sales, cash in, refunds, and the cash expected in the
    drawer (exit 5 when none is open)."""
    cli = state(ctx)
    report = cli.runtime.orders.tills.status(cli.principal())
    emit(till_json(report), as_json=json_, human=_print_report)


@app.command("close")
def close(
    ctx: typer.Context,
    counted: CountedOption,
    till: TillOption = None,
    json_: JsonFlag = False,
) -> None:
    """Close your till with the cash counted: prints the report (expected = float + cash
    sales - their refunds; difference = counted - expected) and signs it into the audit
    chain. Exit 5 if no till is open (or it is closed), 2 if --counted is not an amount,
    3 for another clerk's till (an admin may close it with --till)."""
    cli = state(ctx)
    report = cli.runtime.orders.tills.close(cli.principal(), counted=counted, till_id=till)
    emit(till_json(report), as_json=json_, human=_print_report)


def _print_opened(data: dict[str, Any]) -> None:
    from tix.core.catalog.money import format_money

    typer.echo(data["id"])  # stdout: the id, for scripts
    say(f"Till open at {data['box_office']} with a float of "
        f"{format_money(data['float'], data['currency'])}: close it with "
        "tix till close --counted AMOUNT.")


def _print_report(data: dict[str, Any]) -> None:
    from tix.core.catalog.money import format_money

    def money(key: str) -> str:
        return format_money(data[key], data["currency"])

    rows = [("Till", data["id"]), ("Box office", data["box_office"]),
            ("Opened", f"{data['opened_at']:%Y-%m-%d %H:%M} UTC"),
            ("Float", money("float")), ("Cash sales", str(data["sales"])),
            ("Cash in", money("cash_in")), ("Refunds", money("refunds")),
            ("Expected", money("expected"))]
    if data["status"] == "closed":
        rows += [("Closed", f"{data['closed_at']:%Y-%m-%d %H:%M} UTC"),
                 ("Counted", money("counted")), ("Difference", money("difference"))]
    width = max(len(label) for label, _ in rows)
    for label, value in rows:
        typer.echo(f"{label:<{width}}  {value}")
