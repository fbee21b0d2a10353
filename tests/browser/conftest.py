"""The shop in a real browser: `tix serve`'s application under uvicorn on a free loopback
port (SQLite, real mail through aiosmtpd, cards through localstripe and its own
Stripe.js), driven by Debian's chromium through Playwright. One server and one browser
per module; a fresh browser context (cookies) per test. Chromium missing is a failure,
never a skip (scripts/ensure-test-services installs it; never `playwright install`)."""

from __future__ import annotations

import os
import shutil
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.message import Message
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller

from tests.conftest import TEST_SECRET
from tests.smtp_server import Answers, free_port
from tix.bootstrap import Runtime, bootstrap
from tix.config import Settings
from tix.core.principal import Principal

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


@dataclass
class Shop:
    url: str
    runtime: Runtime
    mail: Answers
    shots: list[str] = field(default_factory=list)

    def deliver(self) -> None:
        """What the daemon does meanwhile: messages handled, mail sent."""
        from tix.daemon import Daemon

        Daemon(self.runtime).run_once()

    def mail_to(self, address: str, subject_word: str) -> Message:
        self.deliver()
        for message in reversed(self.mail.received):
            if message["To"] == address and subject_word.lower() in message["Subject"].lower():
                return message
        raise AssertionError(f"no mail to {address} about {subject_word!r}: "
                             f"{[(m['To'], m['Subject']) for m in self.mail.received]}")


def mail_text(message: Message) -> str:
    for part in message.walk():
        if part.get_content_type() == "text/plain":
            payload = part.get_payload(decode=True)
            assert isinstance(payload, bytes)
            return payload.decode(part.get_content_charset() or "utf-8")
    raise AssertionError("the mail has no text part")


@pytest.fixture(scope="module")
def shop(tmp_path_factory: pytest.TempPathFactory, sqlite_template: Path,
         stripe_base: str) -> Iterator[Shop]:
    import uvicorn

    from tix.web.app import create_app

    home = tmp_path_factory.mktemp("shop")
    shutil.copy(sqlite_template, home / "tix.db")
    answers = Answers()
    smtp_port, port = free_port(), free_port()
    mail = Controller(answers, hostname="127.0.0.1", port=smtp_port)
    mail.start()
    url = f"http://127.0.0.1:{port}"
    settings = Settings(  # type: ignore[call-arg]
        data_dir=home / "data", config_dir=home / "config",
        database_url=f"sqlite:///{home / 'tix.db'}", secret_key=TEST_SECRET, bcrypt_rounds=4,
        public_url=url, smtp_url=f"smtp://127.0.0.1:{smtp_port}",
        stripe_api_key="sk_test_tix", stripe_api_base=stripe_base,
        stripe_publishable_key="pk_test_tix",
        stripe_js_url=f"{stripe_base}/js.stripe.com/v3/")
    runtime = bootstrap(settings)
    server = uvicorn.Server(uvicorn.Config(create_app(runtime), host="127.0.0.1", port=port,
                                           log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("tix serve did not start within 15 s", pytrace=False)
        time.sleep(0.05)
    yield Shop(url, runtime, answers)
    server.should_exit = True
    thread.join(timeout=10)
    mail.stop()
    runtime.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium")
    if chromium is None:
        pytest.fail("chromium is not installed: run scripts/ensure-test-services "
                    "(apt-get install chromium); never `playwright install`", pytrace=False)
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        yield launched
        launched.close()


@pytest.fixture
def page(browser, shop):  # type: ignore[no-untyped-def]
    """A new visitor (no cookies) on a phone-sized screen; console errors fail the test."""
    context = browser.new_context(viewport=PHONE, base_url=shop.url)
    context.set_default_timeout(15000)  # a shared machine under load
    tab = context.new_page()
    problems: list[str] = []
    tab.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    tab.on("pageerror", lambda e: problems.append(str(e)))
    yield tab
    context.close()
    blocked = [p for p in problems if "Content Security Policy" in p or "Refused" in p]
    assert not blocked, blocked  # the CSP let everything the shop needs through


def screenshot(tab, name: str) -> None:  # type: ignore[no-untyped-def]
    """With TIX_SCREENSHOTS=1: the page at phone and desktop width, into docs/screenshots."""
    if os.environ.get("TIX_SCREENSHOTS") != "1":
        return
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    size = tab.viewport_size
    for label, viewport in (("phone", PHONE), ("desktop", DESKTOP)):
        tab.set_viewport_size(viewport)
        tab.screenshot(path=str(SCREENSHOTS / f"{name}-{label}.png"), full_page=True)
    tab.set_viewport_size(size)


@dataclass
class Catalog:
    concert: str  # two paid types: Standing 45.00, Seated 65.50
    open_day: str  # free: Open day (per ticket, a diet question), Tour
    other: list[str]
    owner: Principal  # their organizer


@pytest.fixture(scope="module")
def catalog(shop: Shop) -> Catalog:
    from tests.catalog_support import an_event, organizer

    runtime = shop.runtime
    owner = organizer(runtime)
    concert = an_event(runtime, owner, days=30, name="Nils Frahm live")
    open_day = an_event(runtime, owner, days=12, name="Funkhaus open day", category="family",
                        ticket_types=[{"name": "Open day", "price": "0.00", "quantity": 50,
                                       "limit": 4},
                                      {"name": "Tour", "price": "0.00", "quantity": 10}],
                        questions=[{"key": "diet", "text": "Any dietary needs?",
                                    "kind": "text"}])
    other = [an_event(runtime, owner, days=days, name=name, city=city, category=category)
             for days, name, city, category in (
                 (5, "Frankfurt jazz night", "Frankfurt", "music"),
                 (40, "Hamlet", "Hamburg", "theatre"),
                 (60, "Derby day", "Dortmund", "sports"),
                 (70, "Late night comedy", "Cologne", "comedy"),
                 (80, "PyCon DE", "Darmstadt", "conference"),
                 (90, "Summer festival", "Leipzig", "festival"))]
    return Catalog(concert, open_day, other, owner)
