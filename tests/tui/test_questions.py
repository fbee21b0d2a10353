"""The box office asks the event's questions at checkout: a field per question and
ticket, a required one left empty refuses the sale with the hold still standing."""

from __future__ import annotations

from textual.widgets import Input, Label, Select

from tests.catalog_support import an_event, organizer
from tests.support import PASSWORD
from tests.tui.pilot import open_first_event, run, signed_in_app, text_of, until
from tix.tui.screens.checkout import CheckoutScreen
from tix.tui.screens.confirmation import ConfirmationScreen
from tix.tui.widgets_questions import QuestionFields

QUESTIONS = [
    {"key": "diet", "text": "Dietary needs?", "kind": "choice",
     "choices": ["none", "vegetarian", "vegan"], "required": True},
    {"key": "company", "text": "Company", "per": "order"},
]


def test_the_checkout_asks_the_questions_and_sells_with_the_answers(sqlite_runtime):
    runtime = sqlite_runtime
    owner = organizer(runtime)
    an_event(runtime, owner, name="Nils Frahm live", questions=QUESTIONS)
    app = signed_in_app(runtime)

    async def scenario() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            await open_first_event(pilot, app)
            await pilot.press("+", "h")  # 2 x Standing
            await until(pilot, lambda: isinstance(app.screen, CheckoutScreen)
                        and app.screen.tenders
                        and app.screen.query_one(QuestionFields).loaded, "the checkout")
            fields = app.screen.query_one(QuestionFields)
            assert [(a.seat, a.question.key) for a in fields.asked] == [
                (None, "company"), (0, "diet"), (1, "diet")]
            assert [str(label.render()) for label in fields.query(Label)] == [
                "Company", "Ticket 1 (Standing): Dietary needs? *",
                "Ticket 2 (Standing): Dietary needs? *"]
            app.screen.query_one("#answer-0", Input).value = "ACME"
            app.screen.query_one("#answer-1", Select).value = "vegan"
            app.screen.query_one("#tendered").focus()
            await pilot.press(*"100", "enter")  # ticket 2's diet is missing
            await until(pilot, lambda: "needs an answer for ticket 2" in text_of(
                app, "#checkout-message"), "the refusal")
            assert isinstance(app.screen, CheckoutScreen)  # the hold still stands
            app.screen.query_one("#answer-2", Select).value = "none"
            app.screen.query_one("#tendered").focus()
            await pilot.press("enter")
            await until(pilot, lambda: isinstance(app.screen, ConfirmationScreen),
                        "the sale", tries=200)

    run(scenario)
    clerk = runtime.accounts.login(email="clara@example.com", password=PASSWORD).principal
    [order] = runtime.orders.list(clerk)
    assert [(a.seat, a.question, a.value) for a in runtime.orders.answers(clerk, order.id)] \
        == [(None, "company", "ACME"), (0, "diet", "vegan"), (1, "diet", "none")]
