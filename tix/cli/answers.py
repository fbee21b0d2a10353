"""Answers to the event's questions on `tix buy` and `tix checkout`: --answer, an
--answers-file, and on a terminal a prompt for each one still missing.

`--answer KEY=VALUE` answers a question of the order (or, for a question asked of each
ticket, every ticket that has no answer of its own); `--answer 2:KEY=VALUE` answers for
the order's second ticket (tickets count from 1 across the lines, in the order given).
The file is a JSON object with the same keys: {"company": "ACME", "2:diet": "vegan"}.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

if TYPE_CHECKING:
    from tix.core.orders.answers import Asked, GivenAnswer

AnswerOption = Annotated[list[str] | None, typer.Option(
    "--answer", help="KEY=VALUE answers the event's question KEY for the order (or every "
                     "ticket); N:KEY=VALUE for the order's Nth ticket. Repeat for each.",
    show_default=False)]
AnswersFileOption = Annotated[Path | None, typer.Option(
    "--answers-file", help='A JSON object of answers, keyed as --answer is: '
                           '{"company": "ACME", "2:diet": "vegan"}.', show_default=False,
    dir_okay=False)]


def given_answers(answer: list[str] | None, answers_file: Path | None) -> list[GivenAnswer]:
    """The answers from the file first, then each --answer (a later one wins)."""
    from tix.core.errors import Invalid

    pairs: list[tuple[str, str, str]] = []  # (flag, left side, value)
    if answers_file is not None:
        try:
            data = json.loads(answers_file.read_text(encoding="utf-8"))
        except OSError as error:
            raise Invalid(f"--answers-file: cannot read {answers_file}: "
                          f"{error.strerror or error}") from None
        except (ValueError, UnicodeDecodeError):
            raise Invalid(f"--answers-file: {answers_file} is not JSON") from None
        if not isinstance(data, dict):
            raise Invalid('--answers-file: a JSON object of answers, e.g. '
                          '{"company": "ACME", "2:diet": "vegan"}')
        for key, value in data.items():
            if not isinstance(value, str | bool | int):
                raise Invalid(f"--answers-file: the answer to {key!r} must be text")
            pairs.append(("--answers-file", str(key), _text(value)))
    for given in answer or []:
        left, equals, value = given.partition("=")
        if not equals:
            raise Invalid(f"--answer: {given!r} is not KEY=VALUE (or N:KEY=VALUE)")
        pairs.append(("--answer", left, value))
    return [_one(flag, left, value) for flag, left, value in pairs]


def collect(cli: Any, items: list[tuple[str, int]], answer: list[str] | None,
            answers_file: Path | None, *, as_json: bool) -> list[GivenAnswer]:
    """The answers given for a sale of these (ticket type, quantity) lines, with those
    still missing asked for on a terminal (never under --json, nor without a terminal:
    there checkout refuses a missing required answer)."""
    given = given_answers(answer, answers_file)
    if not interactive(as_json):
        return given
    return given + ask_missing(cli.runtime.orders.questions(items), given)


def ask_missing(asked: list[Asked], given: list[GivenAnswer]) -> list[GivenAnswer]:
    """A prompt for each question put with no answer yet, asked again until the answer
    is one the question takes (an optional one may be left empty)."""
    from tix.core.errors import Invalid
    from tix.core.orders.answers import answer_value

    answered = {(ticket, key) for ticket, key, _ in given}
    prompted: list[GivenAnswer] = []
    for put in asked:
        question, ticket = put.question, None if put.seat is None else put.seat + 1
        if (None, question.key) in answered or (ticket, question.key) in answered:
            continue
        hint = (f" [{'/'.join(question.choices)}]" if question.choices
                else " [yes/no]" if question.kind.value == "yes_no" else "")
        where = "" if ticket is None else f"Ticket {ticket} ({put.ticket_type}): "
        while True:
            value = typer.prompt(f"{where}{question.text}{hint}",
                                 default=None if question.required else "",
                                 show_default=False, err=True)
            try:
                answer_value(question, value, put.where)
            except Invalid as error:
                typer.echo(f"  {error.message}", err=True)
                continue
            break
        prompted.append((ticket, question.key, value))
    return prompted


def interactive(as_json: bool) -> bool:
    """Whether a person is at the terminal to be asked (never under --json)."""
    return not as_json and sys.stdin.isatty() and sys.stderr.isatty()


def _one(flag: str, left: str, value: str) -> GivenAnswer:
    from tix.core.errors import Invalid

    number, colon, key = left.strip().partition(":")
    if not colon:
        number, key = "", number
    if not key.strip() or (colon and not number.strip().isdigit()):
        raise Invalid(f"{flag}: {left!r} is not KEY or N:KEY (N: the ticket, from 1)")
    return (int(number) if colon else None, key.strip().lower(), value)


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)
