"""Daemon logs: JSON lines carrying the message being handled, or plain text."""

import json
import logging

import pytest

from tix.core.errors import Invalid
from tix.logs import JsonLines, WithContext, configure, handling


def record(message: str, *args: object) -> logging.LogRecord:
    return logging.LogRecord("tix.daemon", logging.ERROR, __file__, 1, message, args, None)


def test_json_lines_carry_the_message_and_order_being_handled():
    with handling(message_id="m-1", message="PaymentCompleted", order_id="o-9"):
        line = json.loads(JsonLines().format(record("mail %s failed", "n-3")))
    assert line["msg"] == "mail n-3 failed" and line["level"] == "error"
    assert (line["message_id"], line["message"], line["order_id"]) == (
        "m-1", "PaymentCompleted", "o-9")
    assert "message_id" not in json.loads(JsonLines().format(record("idle")))  # outside


def test_text_lines_too_and_an_unknown_format_is_refused():
    with handling(order_id="o-9", message_id=""):  # empty values are left out
        assert WithContext("%(message)s").format(record("x")) == "x order_id=o-9"
    with pytest.raises(Invalid):
        configure("xml")
