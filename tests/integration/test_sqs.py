"""Messages through Amazon SQS (a moto server): relayed from the outbox, consumed by any
number of daemons, each effect once — through crashes, redeliveries and poison."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

import pytest

from tests.catalog_support import an_event, on_every_team, organizer
from tests.cli.conftest import Tix
from tests.integration.test_outbox_daemon import Pinged, Recorder, publish, with_recorder
from tests.support import logged_in
from tix.adapters.queue.sqs import MAX_RECEIVES, QUEUES, SqsConfig, queue_of
from tix.core.errors import Invalid
from tix.core.messages import Message, Subscription
from tix.core.orders.model import Tender
from tix.core.principal import Role
from tix.daemon import Daemon


def test_the_queue_url_names_the_endpoint_region_prefix_and_visibility():
    local = SqsConfig.parse("sqs://127.0.0.1:5000?region=eu-west-1&prefix=x-&visibility=7")
    assert (local.endpoint_url, local.region, local.prefix, local.visibility_timeout) == (
        "http://127.0.0.1:5000", "eu-west-1", "x-", 7)
    assert SqsConfig.parse("sqs://").endpoint_url is None  # AWS itself
    assert SqsConfig.parse("sqs+https://sqs.example.com").endpoint_url == (
        "https://sqs.example.com")
    for wrong in ("redis://x", "sqs://h?visibility=soon"):
        with pytest.raises(Invalid):
            SqsConfig.parse(wrong)
    assert queue_of("PaymentCompleted") == "payment-events"
    assert queue_of("TicketsGenerated") == "ticket-events"
    assert queue_of("UserRegistered") == "notification-events"


def test_a_sale_goes_through_the_queues_to_its_tickets_and_mail(make_runtime, database,
                                                               queue_url, mailer):
    runtime = make_runtime(database, queue_url=queue_url)
    standing = runtime.catalog.show(an_event(runtime, organizer(runtime))).ticket_types[0]
    clerk = logged_in(runtime, "clara@example.com", role=Role.CLERK, name="Clara Clerk")
    on_every_team(runtime, clerk)
    order = runtime.orders.buy(clerk, standing.id, 2, tender=Tender.CASH, tendered=9000)
    Daemon(runtime).run_once()
    assert len(runtime.tickets.mine(clerk)) == 2
    assert any(m.subject.startswith("Your tickets") and order.number in m.subject
               for m in mailer.to("clara@example.com"))
    assert runtime.outbox.pending_count() == 0
    assert set(runtime.queue_transport.pending().values()) == {0}


@dataclass(frozen=True, kw_only=True)
class Sold(Message):
    """A message of one order: FIFO keeps order within the order, not across orders."""

    order_id: str
    n: int


def test_two_daemons_consuming_side_by_side_handle_each_message_once(make_runtime, database,
                                                                   queue_url):
    recorder = Recorder()
    publisher = make_runtime(database, queue_url=queue_url)
    with publisher.uow() as uow:
        uow.publish(*(Sold(order_id=f"order-{n}", n=n) for n in range(300)))
        uow.commit()
    while Daemon(publisher).relay():
        pass

    def listening(runtime):
        runtime.subscriptions.append(Subscription(Sold, "record_sale", recorder.handle))
        return runtime

    daemons = [Daemon(listening(make_runtime(database, queue_url=queue_url)),
                      worker_id=f"d{i}") for i in range(2)]
    handled = {d.worker_id: 0 for d in daemons}

    def consume(daemon: Daemon) -> None:
        idle = 0
        while idle < 3:  # three empty rounds over every queue: done
            got = sum(daemon.consume(queue, wait_seconds=0) for queue in QUEUES)
            handled[daemon.worker_id] += got
            idle = idle + 1 if got == 0 else 0

    threads = [threading.Thread(target=consume, args=(d,)) for d in daemons]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(recorder.seen) == list(range(300))
    assert set(recorder.seen.values()) == {1}  # FIFO groups and idempotency: once each
    assert all(handled.values()), handled  # both really worked


def test_a_consumer_killed_mid_message_leaves_it_to_another(make_runtime, database,
                                                           queue_url):
    recorder = Recorder()
    runtime = with_recorder(make_runtime(database, queue_url=queue_url), recorder)
    publish(runtime, 1, 2)
    Daemon(runtime).relay()
    transport = runtime.queue_transport
    [queue] = {queue_of("Pinged")}
    taken = transport.receive(queue, wait_seconds=0)  # a consumer takes them, then dies
    assert {r.envelope.payload["n"] for r in taken} == {1, 2}
    assert transport.receive(queue, wait_seconds=0) == []  # hidden while it "works"
    time.sleep(1.2)  # the visibility timeout (1 s here) passes
    survivor = Daemon(runtime)
    while survivor.consume(queue, wait_seconds=0):
        pass
    assert recorder.seen == {1: 1, 2: 1}


def test_a_message_handled_but_not_deleted_is_not_handled_twice(make_runtime, database,
                                                                queue_url):
    """The crash between the commit and the delete: SQS gives it again; the handler's
    idempotency record turns it away."""
    recorder = Recorder()
    runtime = with_recorder(make_runtime(database, queue_url=queue_url), recorder)
    publish(runtime, 7)
    daemon = Daemon(runtime)
    daemon.relay()
    transport = runtime.queue_transport
    real_delete = transport.delete
    transport.delete = lambda done: None  # the process dies before deleting
    assert daemon.consume(queue_of("Pinged"), wait_seconds=0) == 1
    transport.delete = real_delete
    time.sleep(1.2)
    assert daemon.consume(queue_of("Pinged"), wait_seconds=0) == 1  # given again...
    assert recorder.seen == {7: 1}  # ...and not handled again
    assert set(transport.pending().values()) == {0}


def test_a_poison_message_ends_in_the_dead_letter_queue_and_can_be_redriven(
        make_runtime, sqlite_template, tmp_path, queue_url):
    import shutil

    shutil.copy(sqlite_template, tmp_path / "tix.db")  # the queue's rules: one database will do
    recorder = Recorder()
    at_once = queue_url.replace("visibility=1", "visibility=0")  # failures come straight back
    runtime = with_recorder(make_runtime(f"sqlite:///{tmp_path / 'tix.db'}",
                                         queue_url=at_once), recorder)
    poison = {"n": 13}

    def always_fails(message: Pinged, uow) -> None:
        if message.n == poison["n"]:
            raise RuntimeError("cannot handle this one")

    runtime.subscriptions.append(Subscription(Pinged, "choke", always_fails))
    publish(runtime, 13)
    daemon = Daemon(runtime)
    daemon.relay()
    queue = queue_of("Pinged")
    for _ in range(MAX_RECEIVES):
        while not daemon.consume(queue, wait_seconds=1):
            pass
    assert daemon.consume(queue, wait_seconds=1) == 0  # gone from its queue...
    tix = Tix(runtime)
    listed = tix("queue", "dlq", "list", "--json")
    assert listed.exit_code == 0, listed.stderr
    assert listed.json()[f"{queue}-dlq"] == 1  # ...into the dead-letter queue
    poison["n"] = None  # fixed: the handler works now
    redriven = tix("queue", "dlq", "redrive", queue)
    assert redriven.exit_code == 0 and "Sent 1 message" in redriven.stderr
    while daemon.consume(queue, wait_seconds=1):
        pass
    assert recorder.seen[13] == 1
    assert tix("queue", "dlq", "redrive", "nope").exit_code == 2


def test_without_sqs_the_queue_commands_show_the_outbox_and_say_so(sqlite_runtime):
    tix = Tix(sqlite_runtime)
    listed = tix("queue", "dlq", "list", "--json")
    assert listed.exit_code == 0 and listed.json() == {"outbox": 0, "outbox-dlq": 0,
                                                       "dead_letters": []}
    outcome = tix("queue", "dlq", "redrive", "payment-events")
    assert outcome.exit_code == 2 and "TIX_QUEUE_URL" in outcome.stderr


def test_a_message_that_cannot_be_read_ends_in_the_dead_letter_queue(make_runtime,
                                                                     sqlite_template, tmp_path,
                                                                     queue_url):
    import shutil

    shutil.copy(sqlite_template, tmp_path / "tix.db")
    runtime = make_runtime(f"sqlite:///{tmp_path / 'tix.db'}",
                           queue_url=queue_url.replace("visibility=1", "visibility=0"))
    transport = runtime.queue_transport
    transport.ensure_queues()
    queue = "notification-events"
    transport._client.send_message(QueueUrl=transport._url(queue), MessageBody="not tix's",
                                   MessageGroupId="x", MessageDeduplicationId="garbage")
    daemon = Daemon(runtime)
    for _ in range(MAX_RECEIVES):
        while not daemon.consume(queue, wait_seconds=1):  # never stops the consumer
            pass
    assert daemon.consume(queue, wait_seconds=1) == 0
    assert transport.pending()[f"{queue}-dlq"] == 1


def test_the_relay_sets_aside_what_it_cannot_read_and_sends_the_rest(make_runtime,
                                                                     sqlite_template, tmp_path,
                                                                     queue_url):
    import base64
    import secrets
    import shutil

    shutil.copy(sqlite_template, tmp_path / "tix.db")
    url = f"sqlite:///{tmp_path / 'tix.db'}"
    runtime = make_runtime(url, queue_url=queue_url)
    other_key = base64.b64encode(secrets.token_bytes(32)).decode()
    publish(make_runtime(url, encryption_key=f"k1:{other_key}"), 1)  # another key
    publish(runtime, 2)
    daemon = Daemon(runtime)
    assert daemon.relay() == 2
    assert runtime.dead_letters.count() == 1
    assert daemon.relay() == 1 and runtime.outbox.pending_count() == 0  # the admins' alert
    listed = Tix(runtime)("queue", "dlq", "list", "--json").json()
    assert listed["outbox-dlq"] == 1
    assert listed["notification-events"] == 2  # Pinged 2, and the admins' alert
