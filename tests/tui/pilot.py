"""Driving the box office as a clerk would: helpers shared by the TUI tests."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine, Sequence
from typing import Any

from tests.catalog_support import on_team
from tests.support import PASSWORD, user
from tix.core.principal import Role
from tix.tui.app import TixApp


def run(scenario: Callable[[], Coroutine[Any, Any, None]]) -> None:
    asyncio.run(scenario())


def signed_in_app(runtime, email: str = "clara@example.com", role: Role = Role.CLERK,
                  name: str = "Clara Clerk", *, teams: Sequence[str] | None = None
                  ) -> TixApp:
    """The app with `email` signed in (registered first if need be), as after sign-in.
    A clerk is put on the team of the events `teams` names (by default every event there
    is: the box office's clerk works them all)."""
    from sqlalchemy import select

    from tix import credentials
    from tix.adapters.db.rows.catalog import EventRow

    with runtime.uow(readonly=True) as uow:
        known = uow.users.by_email(email) is not None
        every_event = list(uow.session.scalars(select(EventRow.id)))
    if not known:
        user(runtime, email, role=role, name=name)
    if role is Role.CLERK:
        for event in every_event if teams is None else teams:
            on_team(runtime, event, email)
    login = runtime.accounts.login(email=email, password=PASSWORD)
    credentials.save(runtime.settings.credentials_path, credentials.StoredLogin(
        token=login.token, email=email, expires_at=login.expires_at.isoformat()))
    return TixApp(runtime)


async def until(pilot, condition: Callable[[], object], what: str, tries: int = 100) -> None:
    """Let the app work (workers, timers) until the condition holds."""
    for _ in range(tries):
        await pilot.pause(0.05)
        if condition():
            return
    raise AssertionError(f"never happened: {what}")


def text_of(app: TixApp, selector: str) -> str:
    return str(app.screen.query_one(selector).render())


async def open_first_event(pilot, app: TixApp) -> None:
    """From the home screen to the first event listed, its ticket types loaded."""
    from tix.tui.screens.event import EventScreen
    from tix.tui.screens.events import EventsScreen
    from tix.tui.screens.home import HomeScreen

    await until(pilot, lambda: isinstance(app.screen, HomeScreen), "home")
    await pilot.press("e")
    await until(pilot, lambda: isinstance(app.screen, EventsScreen)
                and app.screen.searches_shown, "the events listed")
    await pilot.press("ctrl+t", "enter")  # to the results, open the first
    await until(pilot, lambda: isinstance(app.screen, EventScreen)
                and app.screen.details is not None, "the event")


async def open_event(pilot, app: TixApp, event_id: str) -> None:
    """From the home screen straight to one event, its ticket types loaded."""
    from tix.tui.screens.event import EventScreen
    from tix.tui.screens.home import HomeScreen

    await until(pilot, lambda: isinstance(app.screen, HomeScreen), "home")
    app.push_screen(EventScreen(event_id))
    await until(pilot, lambda: isinstance(app.screen, EventScreen)
                and app.screen.details is not None, "the event")


async def hold_and_check_out(pilot, app: TixApp) -> None:
    """On an event: hold ("h") and wait for checkout, its tenders offered."""
    from tix.tui.screens.checkout import CheckoutScreen

    await pilot.press("h")
    await until(pilot, lambda: isinstance(app.screen, CheckoutScreen)
                and app.screen.tenders, "the checkout")


async def open_dashboard(pilot, app: TixApp) -> None:
    """From the home screen to the live sales of the first event listed there, shown."""
    from tix.tui.screens.dashboard import DashboardScreen
    from tix.tui.screens.home import HomeScreen

    await until(pilot, lambda: isinstance(app.screen, HomeScreen), "home")
    await pilot.press("d")
    await until(pilot, lambda: isinstance(app.screen, DashboardScreen)
                and app.screen.refreshes, "the sales")
