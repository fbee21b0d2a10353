"""tix voucher …: an event's codes, as its organizer (or an admin) hands them out.

A code gives a percent or a fixed amount off an order (--percent, --amount), or only
unlocks hidden ticket types (--unlock-only); buyers give it with `--voucher CODE` on
tix hold, tix buy and tix checkout, in any case.
"""

from __future__ import annotations

import csv
import os
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from tix.cli.ids import EventId
from tix.cli.output import JsonFlag, emit, say, table
from tix.cli.state import state
from tix.core.errors import Invalid
from tix.json_shapes import voucher_json

if TYPE_CHECKING:
    from tix.core.vouchers.service import VoucherTerms

app = typer.Typer(help="An event's vouchers and codes: discounts, and keys to hidden ticket "
                       "types.", no_args_is_help=True)

PercentOption = Annotated[int | None, typer.Option(
    "--percent", help="Percent off each ticket it applies to (1-100).", show_default=False)]
AmountOption = Annotated[str | None, typer.Option(
    "--amount", help="A fixed amount off one order, in major units (e.g. 5.00), never "
                     "more than the tickets it applies to.", show_default=False)]
UnlockOption = Annotated[bool, typer.Option(
    "--unlock-only", help="No discount: the code only unlocks hidden ticket types (those "
                          "--types names; without --types, every hidden type).")]
UntilOption = Annotated[str | None, typer.Option(
    "--valid-until", metavar="TIME", help="Last moment it is accepted, local to the event "
                                          "(e.g. 2026-12-31T23:59). Default: no end.",
    show_default=False)]
TypesOption = Annotated[str | None, typer.Option(
    "--types", metavar="E12-T1,E12-T2", help="The ticket types it is for, comma-separated "
                                             "(default: every type that is not hidden).",
    show_default=False)]
PerOrderOption = Annotated[int | None, typer.Option(
    "--per-order", help="At most this many tickets of its types in one order.",
    show_default=False)]


def _terms(percent: int | None, amount: str | None, unlock_only: bool, max_uses: int,
           valid_until: str | None, types: str | None, per_order: int | None
           ) -> VoucherTerms:
    from tix.core.vouchers.service import VoucherTerms

    return VoucherTerms(percent=percent, amount=amount, max_uses=max_uses,
                        valid_until=valid_until, per_order=per_order,
                        unlock_only=unlock_only,
                        types=tuple(t.strip() for t in (types or "").split(",") if t.strip()))


@app.command("create")
def create(ctx: typer.Context, event: EventId,
           code: Annotated[str, typer.Option(
               "--code", help="The code buyers type: letters, digits, - and _ (stored "
                              "upper case; buyers may type any case).")],
           percent: PercentOption = None, amount: AmountOption = None,
           unlock_only: UnlockOption = False,
           max_uses: Annotated[int, typer.Option(
               "--max-uses", help="How many holds or orders may use it.")] = 1,
           valid_until: UntilOption = None, types: TypesOption = None,
           per_order: PerOrderOption = None, json_: JsonFlag = False) -> None:
    """Create a code for your event (the organizer, or an admin)."""
    cli = state(ctx)
    principal = cli.principal()
    made = cli.runtime.vouchers.create(principal, event, code, _terms(
        percent, amount, unlock_only, max_uses, valid_until, types, per_order))
    refs = cli.runtime.vouchers.type_refs(principal, event)

    def human(data: dict[str, Any]) -> None:
        typer.echo(data["code"])  # stdout: the code, for scripts
        say(f"Code {data['code']}: {_gives(data, cli)}, {data['max_uses']} use(s).")

    emit(voucher_json(made, refs), as_json=json_, human=human)


@app.command("generate")
def generate(ctx: typer.Context, event: EventId,
             count: Annotated[int, typer.Option("--count", help="How many codes.")],
             output: Annotated[Path, typer.Option(
                 "-o", "--output", help="The CSV file to write (code and terms, one code "
                                        "a line; readable by you only).")],
             percent: PercentOption = None, amount: AmountOption = None,
             unlock_only: UnlockOption = False, valid_until: UntilOption = None,
             types: TypesOption = None, per_order: PerOrderOption = None,
             json_: JsonFlag = False) -> None:
    """Generate COUNT random single-use codes for your event, written to a CSV file."""
    from tix.core.errors import Invalid

    cli = state(ctx)
    principal = cli.principal()
    if output.exists() and not output.is_file():
        raise Invalid(f"-o: {output} is not a file")
    made = cli.runtime.vouchers.generate(principal, event, count, _terms(
        percent, amount, unlock_only, 1, valid_until, types, per_order))
    refs = cli.runtime.vouchers.type_refs(principal, event)
    rows = [voucher_json(v, refs) for v in made]
    _write_csv(output, rows)
    emit({"count": len(rows), "file": str(output), "codes": [r["code"] for r in rows]},
         as_json=json_, human=lambda d: say(f"{d['count']} code(s) written to {d['file']}."))


def _write_csv(path: Path, rows: list[dict[str, Any]]) -> None:
    """Codes are as good as money: the file is the owner's only (0600)."""
    from tix.core.errors import Invalid

    columns = ["code", "percent", "amount", "unlock_only", "max_uses", "valid_until",
               "types", "per_order"]
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w", newline="", encoding="utf-8") as file:
            writer = csv.writer(file)
            writer.writerow(columns)
            for row in rows:
                until = row["valid_until"]
                writer.writerow([row["code"], row["percent"], row["amount"],
                                 "yes" if row["unlock_only"] else "no", row["max_uses"],
                                 until.isoformat() if until else "",
                                 " ".join(row["types"]), row["per_order"] or ""])
    except OSError as error:
        raise Invalid(f"-o: cannot write {path}: {error.strerror}") from None


@app.command("list")
def list_(ctx: typer.Context, event: EventId, json_: JsonFlag = False) -> None:
    """Your event's codes, newest first: what each gives, uses left, status."""
    cli = state(ctx)
    principal = cli.principal()
    refs = cli.runtime.vouchers.type_refs(principal, event)
    rows = [voucher_json(v, refs) for v in cli.runtime.vouchers.list(principal, event)]

    def human(data: list[dict[str, Any]]) -> None:
        currency = _currency(cli, data)
        table(["code", "gives", "used", "valid until (UTC)", "types", "status"],
              [[r["code"], _gives_in(r, currency), f"{r['used']}/{r['max_uses']}",
                f"{r['valid_until']:%Y-%m-%d %H:%M}" if r["valid_until"] else "-",
                ", ".join(r["types"]) or "all",
                "voided" if r["voided"] else "used up" if not r["uses_left"] else "active"]
               for r in data])

    emit(rows, as_json=json_, human=human)


@app.command("void")
def void(ctx: typer.Context,
         first: Annotated[str | None, typer.Argument(
             metavar="[EVENT]", show_default=False,
             help="The event (E12): needed only when several of yours have the code.")
         ] = None,
         code: Annotated[str | None, typer.Argument(
             metavar="CODE", show_default=False, help="The code (any case).")] = None,
         json_: JsonFlag = False) -> None:
    """Void a code: no hold or order takes it from now on (those made keep it)."""
    if first is None or not first.strip():
        raise Invalid("a code is needed: tix voucher void [EVENT] CODE", field="code")
    cli = state(ctx)
    principal = cli.principal()
    event, code = (None, first) if code is None else (first, code)
    voided = cli.runtime.vouchers.void(principal, event, code)
    refs = cli.runtime.vouchers.type_refs(principal, voided.event_id)
    emit(voucher_json(voided, refs), as_json=json_,
         human=lambda d: say(f"Code {d['code']} voided ({d['used']} use(s) made)."))


def _gives(row: dict[str, Any], cli: Any) -> str:
    return _gives_in(row, _currency(cli, [row]))


def _gives_in(row: dict[str, Any], currency: str) -> str:
    from tix.core.catalog.money import format_money

    if row["unlock_only"]:
        return "unlocks hidden types"
    if row["percent"]:
        return f"{row['percent']} % off"
    return f"{format_money(row['amount'], currency)} off"


def _currency(cli: Any, rows: list[dict[str, Any]]) -> str:
    """The event's currency, read once, and only for a list with amounts in it."""
    if not any(row["amount"] for row in rows):
        return ""
    return str(cli.runtime.catalog.show(rows[0]["event_id"]).summary.currency)
