"""An SQS endpoint (moto in server mode) on loopback, for the tests that need a queue."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest


@pytest.fixture(scope="session")
def sqs_endpoint() -> Iterator[str]:
    """host:port of a moto SQS server that lives for the whole run; never skipped."""
    from moto.server import ThreadedMotoServer

    from tests.smtp_server import free_port

    os.environ.setdefault("AWS_ACCESS_KEY_ID", "testing")
    os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "testing")
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    try:
        server.start()
    except Exception as error:  # a test that needs SQS fails without it
        pytest.fail(f"cannot start the moto SQS server: {error}", pytrace=False)
    yield f"127.0.0.1:{port}"
    server.stop()


@pytest.fixture
def queue_url(sqs_endpoint: str) -> str:
    """TIX_QUEUE_URL with queues of this test's own (a fresh prefix)."""
    return f"sqs://{sqs_endpoint}?prefix=t{uuid.uuid4().hex[:10]}-&visibility=1"
