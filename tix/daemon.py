"""The daemon: delivers outbox messages to their handlers and runs periodic jobs.

Delivery is at-least-once; every handler runs in its own unit of work that first records
(message id, handler), so a message delivered twice changes nothing the second time.
A message that cannot be read, or whose handlers failed MAX_RECEIVES times, is set aside
as a dead letter (as SQS would move it to a dead-letter queue) and the rest goes on.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
from collections import defaultdict
from datetime import timedelta
from typing import TYPE_CHECKING

from tix.adapters.queue.sqs import MAX_RECEIVES, QUEUES
from tix.bootstrap import Runtime
from tix.core.errors import TixError, Unavailable
from tix.core.messages import Envelope, Subscription, UnreadableMessage
from tix.logs import handling
from tix.operations import ping_database

if TYPE_CHECKING:
    from tix.adapters.db.uow import SqlUnitOfWork

log = logging.getLogger("tix.daemon")

MAX_RETRY_DELAY = timedelta(hours=1)
LONG_POLL = 5  # seconds a consumer waits on an empty queue (and the most a stop waits)


def retry_delay(attempts: int) -> timedelta:
    return min(timedelta(seconds=5 * 2**attempts), MAX_RETRY_DELAY)


def wait_for_database(runtime: Runtime, stopping: threading.Event, *,
                      longest_pause: float = 30.0) -> bool:
    """Until the database answers (True) or the daemon is told to stop (False): a daemon
    started before its database (a reboot, a failover, every connection taken) waits for
    it, saying so, instead of exiting."""
    pause = 1.0
    while True:
        try:
            ping_database(runtime)
            return True
        except Unavailable as error:
            log.error("waiting for the database: %s", error.message)
        if stopping.wait(pause):
            return False
        pause = min(pause * 2, longest_pause)


class Daemon:
    def __init__(self, runtime: Runtime, *, worker_id: str | None = None, batch: int = 100,
                 idle_sleep: float = 1.0, stopping: threading.Event | None = None) -> None:
        self._runtime = runtime
        self.worker_id = worker_id or f"{socket.gethostname()}:{os.getpid()}"
        self._batch = batch
        self._idle_sleep = idle_sleep
        self._handlers: dict[str, list[Subscription]] = defaultdict(list)
        for subscription in runtime.subscriptions:
            self._handlers[subscription.message.message_type].append(subscription)
        self.stopping = stopping or threading.Event()  # shared by a process's workers
        self._transport = runtime.queue_transport
        self._due: dict[str, float] = {}  # job name -> time.monotonic() it is next due

    def run_once(self, max_rounds: int = 10_000) -> int:
        """Deliver everything pending and run every job until nothing is left to do."""
        done = 0
        for _ in range(max_rounds):
            work = self.deliver_batch() + self.run_jobs()
            done += work
            if work == 0 or self.stopping.is_set():
                break
        return done

    def run_forever(self) -> None:
        log.info("daemon %s started", self.worker_id)
        consumers = [threading.Thread(target=self._consume_forever, args=(queue,),
                                      name=f"{self.worker_id}:{queue}", daemon=True)
                     for queue in (QUEUES if self._transport is not None else ())]
        for consumer in consumers:
            consumer.start()
        while not self.stopping.is_set():
            try:
                # with a queue, the consumer threads handle what it holds
                delivered = self.relay() if self._transport else self.deliver_batch()
                work = delivered + self.run_jobs()
            except TixError as error:  # the database went away: wait, then try again
                log.error("%s", error.message)
                work = 0
            if work == 0:
                self.stopping.wait(self._idle_sleep)
        for consumer in consumers:
            consumer.join()
        log.info("daemon %s stopped", self.worker_id)

    def deliver_batch(self) -> int:
        """With a queue: relay the outbox to it, and handle what waits in it (run_forever
        long-polls in threads of its own instead). Without: handle the outbox directly."""
        if self._transport is None:
            return self._deliver_from_outbox()
        return self.relay() + sum(self.consume(queue, wait_seconds=0) for queue in QUEUES)

    def relay(self) -> int:
        """Outbox → queues, oldest first; marked sent only once the queue has them."""
        assert self._transport is not None
        envelopes = self._runtime.outbox.claim(self.worker_id, self._batch)
        readable = [e for e in envelopes if e.unreadable is None]
        if readable:
            self._transport.send(readable)
            with self._runtime.uow() as uow:
                uow.acknowledge([e.id for e in readable])
                uow.commit()
        for envelope in envelopes:
            if envelope.unreadable is not None:
                self._failed(envelope, UnreadableMessage(envelope.unreadable))
        return len(envelopes)

    def consume(self, queue: str, *, wait_seconds: int) -> int:
        """Handle one batch from a queue in one transaction; delete what succeeded after
        the commit. A failure stays in the queue: SQS gives it again after the visibility
        timeout, and to the dead-letter queue after the fifth time."""
        assert self._transport is not None
        received = self._transport.receive(queue, wait_seconds=wait_seconds)
        if not received:
            return 0
        handled = []
        with self._runtime.uow() as uow:
            for item in received:
                error = self._handle(item.envelope, uow)
                if error is None:
                    handled.append(item)
                else:
                    log.error("message %s (%s) failed, receive %d of %d: %s",
                              item.envelope.id, item.envelope.name, item.envelope.attempts + 1,
                              MAX_RECEIVES, type(error).__name__)
            uow.commit()
        self._transport.delete(handled)
        return len(received)

    def _consume_forever(self, queue: str) -> None:
        while not self.stopping.is_set():
            try:
                self.consume(queue, wait_seconds=LONG_POLL)
            except TixError as error:  # the queue or the database went away: wait
                log.error("%s", error.message)
                self.stopping.wait(self._idle_sleep)

    def _deliver_from_outbox(self) -> int:
        """Claim a batch and handle it in one transaction, each message in a savepoint.

        One commit per batch instead of one per message: the handlers' work and the
        acknowledgements land together, or (if the commit fails) not at all, and the
        messages come again when the claim's lease ends.
        """
        envelopes = self._runtime.outbox.claim(self.worker_id, self._batch)
        failures: list[tuple[Envelope, Exception]] = []
        with self._runtime.uow() as uow:
            delivered: list[str] = []
            for envelope in envelopes:
                if self.stopping.is_set():
                    break  # the rest of the claim returns to the queue when its lease ends
                error = self._handle(envelope, uow)
                if error is None:
                    delivered.append(envelope.id)
                else:
                    failures.append((envelope, error))
            uow.acknowledge(delivered)
            uow.commit()
        for failed, reason in failures:
            self._failed(failed, reason)
        return len(envelopes)

    def run_jobs(self) -> int:
        done = 0
        for job in self._runtime.jobs:
            if self.stopping.is_set():
                break
            if time.monotonic() < self._due.get(job.name, 0.0):
                continue
            handled = 0
            try:
                handled = job.run()
            except TixError as error:
                log.error("job %r: %s", job.name, error.message)
            # a sweep that found work may have left some: it runs again on the next pass
            self._due[job.name] = time.monotonic() + (job.every if handled == 0 else 0.0)
            done += handled
        return done

    def _handle(self, envelope: Envelope, uow: SqlUnitOfWork) -> Exception | None:
        """Run every handler of the message, each in its own savepoint: one that fails is
        undone alone and retried later; the others' work stands and is not repeated."""
        failed: Exception | None = None
        try:
            message = envelope.open()
        except Exception as error:  # an unknown or broken message
            return error
        for subscription in self._handlers.get(envelope.name, []):
            try:
                with handling(message_id=envelope.id, message=envelope.name,
                              order_id=str(envelope.payload.get("order_id") or "")), \
                        uow.savepoint():
                    if uow.mark_processed(envelope.id, subscription.name):
                        subscription.handle(message, uow)
            except Exception as error:  # one bad handler must not stop the others
                failed = failed or error
        return failed

    def _failed(self, envelope: Envelope, error: Exception) -> None:
        """Retry later, or set aside: at once what cannot be read (no retry makes it
        readable), after MAX_RECEIVES failures what its handlers cannot handle."""
        attempt = envelope.attempts + 1
        if isinstance(error, UnreadableMessage) or attempt >= MAX_RECEIVES:
            # the reason, not the exception: a handler's message may quote personal data
            log.error("message %s (%s) set aside as a dead letter after %d attempt(s): %s",
                      envelope.id, envelope.name, attempt,
                      error if isinstance(error, UnreadableMessage) else type(error).__name__)
            self._runtime.dead_letters.set_aside(envelope.id, f"{type(error).__name__}: {error}")
            return
        delay = retry_delay(envelope.attempts)
        log.error("message %s (%s) failed; retry in %s", envelope.id, envelope.name, delay,
                  exc_info=error)
        self._runtime.outbox.retry_later(envelope.id, f"{type(error).__name__}: {error}",
                                         delay)
