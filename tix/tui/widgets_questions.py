"""The event's questions on the checkout screen: a field for each question the hold's
tickets (and the order) are asked, read when paying. Checkout checks the answers; this
only collects them, so the rules live in one place (tix.core.orders.answers)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from textual import work
from textual.containers import Vertical
from textual.widgets import Input, Label, Select

from tix.core.catalog.model import QuestionKind
from tix.tui.text import escape

if TYPE_CHECKING:
    from tix.core.orders.answers import Asked, GivenAnswer
    from tix.tui.app import TixApp


class QuestionFields(Vertical):
    """Mounted with the sale's (ticket type id, quantity) lines; the questions come from
    a worker, so the screen opens at once. Nothing shows for an event with none."""

    DEFAULT_CSS = """
    QuestionFields { height: auto; }
    QuestionFields Label { margin: 0 1; }
    """

    def __init__(self, items: list[tuple[str, int]], **options: Any) -> None:
        super().__init__(**options)
        self.items = items
        self.asked: list[Asked] = []
        self.loaded = False

    def on_mount(self) -> None:
        self.display = False
        self.load()

    @work(thread=True, group="questions")
    def load(self) -> None:
        app = cast("TixApp", self.app)
        asked = app.runtime.orders.questions(self.items)
        app.call_from_thread(self.show_questions, asked)

    def show_questions(self, asked: list[Asked]) -> None:
        self.asked, self.loaded = asked, True
        for index, put in enumerate(asked):
            question = put.question
            where = ("" if put.seat is None
                     else f"Ticket {put.seat + 1} ({escape(put.ticket_type)}): ")
            mark = " [b]*[/b]" if question.required else ""
            self.mount(Label(f"{where}{escape(question.text)}{mark}"))
            if question.kind is QuestionKind.CHOICE or question.kind is QuestionKind.YES_NO:
                choices = question.choices or ("yes", "no")
                self.mount(Select([(choice, choice) for choice in choices],
                                  prompt="choose", id=f"answer-{index}",
                                  classes="answer"))
            else:
                hint = "an email address" if question.kind is QuestionKind.EMAIL else "answer"
                self.mount(Input(placeholder=hint + ("" if question.required
                                                     else " (optional)"),
                                 id=f"answer-{index}", classes="answer", max_length=1000))
        self.display = bool(asked)

    def answers(self) -> list[GivenAnswer]:
        """What is filled in, as checkout takes it: (ticket from 1 or None, key, value)."""
        given: list[GivenAnswer] = []
        for index, put in enumerate(self.asked):
            field = self.query_one(f"#answer-{index}")
            value = field.value if isinstance(field, Input) else cast("Select[str]", field).value
            if isinstance(value, str) and value.strip():
                ticket = None if put.seat is None else put.seat + 1
                given.append((ticket, put.question.key, value))
        return given
