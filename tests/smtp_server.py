"""A real SMTP server (aiosmtpd) on loopback, told how to answer by the test."""

from __future__ import annotations

import email
import socket
from collections.abc import Iterator
from email.message import Message

import pytest
from aiosmtpd.controller import Controller


class Answers:
    def __init__(self) -> None:
        self.received: list[Message] = []
        self.temporary_failures = 0  # answer 451 to this many messages first
        self.permanent = False  # answer 550 to everything
        self.permanent_answer = "550 5.1.1 mailbox unavailable"

    async def handle_DATA(self, server, session, envelope) -> str:  # type: ignore[no-untyped-def]  # noqa: N802  (aiosmtpd's name)
        if self.permanent:
            return self.permanent_answer
        if self.temporary_failures > 0:
            self.temporary_failures -= 1
            return "451 4.3.0 try again later"
        self.received.append(email.message_from_bytes(envelope.original_content))
        return "250 OK"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def smtp_server() -> Iterator[tuple[str, Answers]]:
    """(TIX_SMTP_URL, answers) of a server that lives for the test."""
    answers = Answers()
    port = free_port()
    controller = Controller(answers, hostname="127.0.0.1", port=port)
    try:
        controller.start()
    except Exception as error:  # never skip: a test that needs SMTP fails without it
        pytest.fail(f"cannot start the aiosmtpd test server: {error}", pytrace=False)
    yield f"smtp://127.0.0.1:{port}", answers
    controller.stop()
