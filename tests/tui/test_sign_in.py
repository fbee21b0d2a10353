"""The box office: signing in, as a clerk would at the door."""

import asyncio

from tests.support import PASSWORD, user
from tix import credentials
from tix.core.principal import Role
from tix.tui.app import TixApp
from tix.tui.screens.home import HomeScreen
from tix.tui.screens.sign_in import SignInScreen


async def settle(pilot, app, screen_type, tries: int = 50) -> None:
    for _ in range(tries):
        await pilot.pause(0.05)
        if isinstance(app.screen, screen_type):
            return
    raise AssertionError(f"still on {type(app.screen).__name__}")


def test_a_clerk_signs_in_with_the_keyboard(sqlite_runtime):
    user(sqlite_runtime, "clara@example.com", role=Role.CLERK, name="Clara Clerk")

    async def scenario() -> None:
        app = TixApp(sqlite_runtime, use_stored_login=False)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.click("#email")
            await pilot.press(*"clara@example.com", "enter", *PASSWORD, "enter")
            await settle(pilot, app, HomeScreen)
            assert "Clara Clerk" in str(app.screen.query_one("#who").render())
            assert app.sub_title == "Clara Clerk · clerk"

    asyncio.run(scenario())


def test_a_wrong_password_is_said_plainly_and_the_field_cleared(sqlite_runtime):
    user(sqlite_runtime, "clara@example.com", role=Role.CLERK)

    async def scenario() -> None:
        app = TixApp(sqlite_runtime, use_stored_login=False)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.click("#email")
            await pilot.press(*"clara@example.com", "enter", *"Wrong-pass-1!", "enter")
            for _ in range(50):
                await pilot.pause(0.05)
                if "wrong email or password" in str(app.screen.query_one("#sign-in-error")
                                                     .render()):
                    break
            else:
                raise AssertionError("no error shown")
            assert isinstance(app.screen, SignInScreen)
            assert app.screen.query_one("#password").value == ""

    asyncio.run(scenario())


def test_the_stored_cli_login_opens_the_app_directly(sqlite_runtime):
    user(sqlite_runtime, "clara@example.com", role=Role.CLERK, name="Clara Clerk")
    login = sqlite_runtime.accounts.login(email="clara@example.com", password=PASSWORD)
    credentials.save(sqlite_runtime.settings.credentials_path, credentials.StoredLogin(
        token=login.token, email="clara@example.com", expires_at=login.expires_at.isoformat()))

    async def scenario() -> None:
        app = TixApp(sqlite_runtime)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot, app, HomeScreen)
            await pilot.press("ctrl+o")
            await settle(pilot, app, SignInScreen)

    asyncio.run(scenario())
