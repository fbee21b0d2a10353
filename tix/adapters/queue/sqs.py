"""Amazon SQS (or an SQS-compatible server) carrying the outbox's messages between hosts.

The outbox stays the transactional source: a relay sends what it holds, oldest first, and
marks it sent. The queues are FIFO: a message keeps its order within its group (one
order, one user, one event) and the outbox id is its deduplication id, so a relay that
sends twice (it crashed before marking) delivers once. Consumers long-poll, handle a
message in one database transaction — the handlers' idempotency records make any
redelivery harmless — and delete it only after the commit. A message received five times
without success moves to its queue's dead-letter queue (`tix queue dlq`).

`TIX_QUEUE_URL`: `sqs://` for AWS (credentials and region as boto3 finds them), or
`sqs://HOST:PORT` for an SQS-compatible endpoint over http (`sqs+https://HOST` for https);
query options `region` (default us-east-1), `prefix` (queue names, default `tix-`) and
`visibility` (seconds a received message stays hidden while handled, default 30).
Payloads travel encrypted with the personal-data key, as they rest in the outbox.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, urlsplit

from tix.adapters.crypto import FieldCipher
from tix.adapters.queue.payloads import open_payload, seal_payload
from tix.core.errors import Invalid, Unavailable
from tix.core.messages import Envelope, UnreadableMessage

QUEUES = ("payment-events", "ticket-events", "notification-events")
MAX_RECEIVES = 5  # then the dead-letter queue
UNREADABLE = "(unreadable)"  # the name given to a message that cannot be read
BATCH = 10  # SQS's most per batch call
GROUP_KEYS = ("order_id", "user_id", "event_id")  # what a message's order is kept within


# By name, not by class, so that a relay routes what it has not imported.
ROUTES = {"PaymentCompleted": "payment-events", "OrderFailed": "payment-events",
          "OrderCancelled": "payment-events", "TicketsGenerated": "ticket-events",
          "TicketsVoided": "ticket-events"}


def queue_of(message_name: str) -> str:
    """Orders' messages to payment-events, tickets' to ticket-events, the rest (accounts,
    catalog, mail) to notification-events."""
    return ROUTES.get(message_name, "notification-events")


@dataclass(frozen=True)
class SqsConfig:
    endpoint_url: str | None
    region: str
    prefix: str
    visibility_timeout: int  # seconds before an unfinished message is given again

    @classmethod
    def parse(cls, url: str) -> SqsConfig:
        parts = urlsplit(url)
        if parts.scheme not in ("sqs", "sqs+https"):
            raise Invalid(f"TIX_QUEUE_URL: {url!r} is not sqs://[HOST:PORT] (or sqs+https://)")
        options = {k: v[-1] for k, v in parse_qs(parts.query).items()}
        endpoint = None
        if parts.netloc:
            endpoint = f"{'https' if parts.scheme == 'sqs+https' else 'http'}://{parts.netloc}"
        try:
            visibility = int(options.get("visibility", "30"))
        except ValueError:
            raise Invalid("TIX_QUEUE_URL: visibility is whole seconds") from None
        return cls(endpoint, options.get("region", "us-east-1"), options.get("prefix", "tix-"),
                   visibility)


@dataclass(frozen=True)
class Received:
    envelope: Envelope
    queue: str
    receipt: str


class SqsTransport:
    def __init__(self, url: str, cipher: FieldCipher) -> None:
        import boto3
        from botocore.config import Config

        self.config = SqsConfig.parse(url)
        self._cipher = cipher
        self._client: Any = boto3.client(
            "sqs", endpoint_url=self.config.endpoint_url, region_name=self.config.region,
            config=Config(retries={"max_attempts": 2}, connect_timeout=3, read_timeout=25))
        self._urls: dict[str, str] = {}

    # -- queues --------------------------------------------------------------------------

    def name(self, queue: str, *, dead: bool = False) -> str:
        return f"{self.config.prefix}{queue}{'-dlq' if dead else ''}.fifo"

    def ensure_queues(self) -> None:
        """Create the queues and their dead-letter queues if missing (idempotent)."""
        with _Unavailable():
            for queue in QUEUES:
                dead = self._create(self.name(queue, dead=True), {})
                arn = self._client.get_queue_attributes(
                    QueueUrl=dead, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
                self._urls[queue] = self._create(self.name(queue), {
                    "VisibilityTimeout": str(self.config.visibility_timeout),
                    "RedrivePolicy": json.dumps({"deadLetterTargetArn": arn,
                                                 "maxReceiveCount": str(MAX_RECEIVES)})})
                self._urls[f"{queue}-dlq"] = dead

    def _create(self, name: str, attributes: dict[str, str]) -> str:
        url: str = self._client.create_queue(QueueName=name, Attributes={
            "FifoQueue": "true", **attributes})["QueueUrl"]
        return url

    def _url(self, queue: str) -> str:
        if queue not in self._urls:
            self.ensure_queues()
        return self._urls[queue]

    # -- the relay's side ----------------------------------------------------------------

    def send(self, envelopes: list[Envelope], *, resend: str = "") -> None:
        """Send in order; raises Unavailable if any could not be sent (all are resent
        then, and deduplicated by their ids). `resend` marks a deliberate second sending
        (a redrive), which deduplication must let through."""
        by_queue: dict[str, list[Envelope]] = {}
        for envelope in envelopes:
            by_queue.setdefault(queue_of(envelope.name), []).append(envelope)
        with _Unavailable():
            for queue, batch in by_queue.items():
                for chunk in _chunks(batch, BATCH):
                    answer = self._client.send_message_batch(QueueUrl=self._url(queue), Entries=[{
                        "Id": str(index), "MessageBody": self._body(envelope),
                        "MessageGroupId": _group(envelope),
                        "MessageDeduplicationId": envelope.id + resend}
                        for index, envelope in enumerate(chunk)])
                    if answer.get("Failed"):
                        raise Unavailable(f"queue {queue} refused "
                                          f"{len(answer['Failed'])} message(s)")

    def _body(self, envelope: Envelope) -> str:
        return json.dumps({"id": envelope.id, "name": envelope.name,
                           "payload": seal_payload(self._cipher, envelope.payload)})

    # -- the consumers' side -------------------------------------------------------------

    def receive(self, queue: str, *, wait_seconds: int, dead: bool = False) -> list[Received]:
        """Up to 10 messages, long-polling up to wait_seconds."""
        source = f"{queue}-dlq" if dead else queue
        with _Unavailable():
            answer = self._client.receive_message(
                QueueUrl=self._url(source), MaxNumberOfMessages=BATCH,
                WaitTimeSeconds=wait_seconds, AttributeNames=["ApproximateReceiveCount"])
        received = []
        for message in answer.get("Messages", []):
            attempts = int(message.get("Attributes", {}).get("ApproximateReceiveCount", 1)) - 1
            received.append(Received(self._envelope(message, attempts), source,
                                     message["ReceiptHandle"]))
        return received

    def _envelope(self, message: dict[str, Any], attempts: int) -> Envelope:
        """The message as tix wrote it; one that cannot be read (not ours, or a key that
        is gone) becomes an envelope no handler opens, so it fails like any poison and
        ends in the dead-letter queue instead of stopping the consumer."""
        try:
            body = json.loads(message["Body"])
            payload = open_payload(self._cipher, body["payload"])
            return Envelope(str(body["id"]), str(body["name"]), payload, attempts)
        except (ValueError, KeyError, TypeError, UnreadableMessage):
            return Envelope(str(message.get("MessageId", "")), UNREADABLE, {}, attempts)

    def delete(self, done: list[Received]) -> None:
        with _Unavailable():
            for queue in {r.queue for r in done}:
                mine = [r for r in done if r.queue == queue]
                for chunk in _chunks(mine, BATCH):
                    self._client.delete_message_batch(QueueUrl=self._url(queue), Entries=[
                        {"Id": str(i), "ReceiptHandle": r.receipt}
                        for i, r in enumerate(chunk)])

    def pending(self) -> dict[str, int]:
        """Messages waiting per queue and dead-letter queue (approximate, as SQS says)."""
        counts = {}
        with _Unavailable():
            for queue in (*QUEUES, *(f"{q}-dlq" for q in QUEUES)):
                attributes = self._client.get_queue_attributes(
                    QueueUrl=self._url(queue),
                    AttributeNames=["ApproximateNumberOfMessages"])["Attributes"]
                counts[queue] = int(attributes["ApproximateNumberOfMessages"])
        return counts

    def redrive(self, queue: str) -> int:
        """Move a dead-letter queue's messages back to its queue; returns how many."""
        import uuid

        moved, mark = 0, f":redrive:{uuid.uuid4().hex[:12]}"
        while batch := self.receive(queue, wait_seconds=0, dead=True):
            self.send([r.envelope for r in batch], resend=mark)
            self.delete(batch)
            moved += len(batch)
        return moved


def _group(envelope: Envelope) -> str:
    for key in GROUP_KEYS:
        value = envelope.payload.get(key)
        if isinstance(value, str) and value:
            return f"{key}:{value}"
    return envelope.name


def _chunks(items: list[Any], size: int) -> Iterator[list[Any]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


class _Unavailable:
    """botocore's errors as tix's: exit 6, one line."""

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 tb: object) -> None:
        from botocore.exceptions import BotoCoreError, ClientError

        if isinstance(error, BotoCoreError | ClientError):
            raise Unavailable(f"message queue unavailable: {error}") from error
