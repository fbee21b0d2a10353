"""Operator tasks: what an operator asks of a tix installation rather than of its users —
is it ready, its metrics, the database's schema, the encryption key, the message queues'
dead letters, a blank slate for the demo.

Functions taking the Runtime (or Settings, before there is one), so the faces, the daemon
and its HTTP listener reach these without naming an adapter: they read the engine, the
queue and the key ring behind the Runtime, which is what sets them apart from services.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from tix.core.errors import Invalid, TixError

if TYPE_CHECKING:
    from tix.adapters.db.metrics import Metric
    from tix.adapters.queue.dead_letters import DeadLetter
    from tix.bootstrap import Runtime
    from tix.config import Settings

OUTBOX = "outbox"
"""The database outbox: it always has dead letters of its own, SQS or not."""


# -- health ------------------------------------------------------------------------------

def ping_database(runtime: Runtime) -> None:
    """Raises Unavailable unless the database answers."""
    from sqlalchemy import text

    from tix.adapters.db.engine import translated_errors

    with translated_errors(), runtime.engine.connect() as conn:
        conn.execute(text("SELECT 1"))


def readiness(runtime: Runtime) -> list[str]:
    """What keeps this process from working: [] when the database (and the queue, if
    any) answer."""
    from sqlalchemy import text

    problems = []
    try:
        with runtime.engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except Exception as error:  # any failure to reach it is the answer
        problems.append(f"database: {type(error).__name__}")
    if runtime.queue_transport is not None:
        try:
            runtime.queue_transport.pending()
        except TixError as error:
            problems.append(f"queue: {error.message}")
    return problems


def metrics(runtime: Runtime) -> str:
    """Prometheus text: orders, holds, sold-out types, queue lag, mail, the cache."""
    from tix.adapters.db.metrics import Metric, collect, render

    found = collect(runtime.engine, runtime.clock.now())
    found += _cache_metrics(runtime)
    if runtime.queue_transport is not None:
        found.append(Metric("tix_queue_messages", "Messages waiting per SQS queue.",
                            "gauge", [({"queue": q}, float(n)) for q, n
                                      in runtime.queue_transport.pending().items()]))
    return render(found)


def _cache_metrics(runtime: Runtime) -> list[Metric]:
    from tix.adapters.db.metrics import Metric

    counted = runtime.cache.stats()
    if counted is None:  # Redis unreachable: unknown, not zero
        return []
    hits, misses = counted
    seen = ("from every process sharing this Redis" if runtime.settings.redis_url else
            "in this process only: the cache is in-process, so lookups by box offices "
            "and CLIs are not seen here")
    return [
        Metric("tix_cache_requests_total", f"Cache lookups by result, {seen}.",
               "counter", [({"result": "hit"}, float(hits)),
                           ({"result": "miss"}, float(misses))]),
        Metric("tix_cache_hit_ratio", f"Share of cache lookups that hit, {seen}.",
               "gauge", [({}, hits / (hits + misses) if hits + misses else 0.0)]),
    ]


# -- the database and its key -------------------------------------------------------------

def upgrade_database(settings: Settings) -> str:
    """Apply pending migrations; returns the revision now current."""
    from tix.adapters.db.engine import make_engine
    from tix.adapters.db.migrate import upgrade

    engine = make_engine(settings.database_url)
    try:
        return upgrade(engine)
    finally:
        engine.dispose()


def rotate_encryption_key(runtime: Runtime, *, new_key: bool,
                          progress: Callable[[str, int], None]) -> tuple[str, int]:
    """Re-encrypt personal data with the current key (after making one, with new_key).

    With TIX_ENCRYPTION_KEY the operator puts the new key first in the variable; on the
    embedded default `new_key` adds one to the key file. Returns (key id, rows changed).
    """
    from tix.adapters.crypto import add_key_to_file
    from tix.adapters.db.rekey import rekey
    from tix.adapters.db.rows import metadata

    if new_key:
        if runtime.settings.encryption_key:
            raise Invalid("TIX_ENCRYPTION_KEY is set: put the new key first in it "
                          "(NEWID:BASE64,OLDID:BASE64) and run without --new-key")
        _ = runtime.cipher  # makes the key file if there is none yet
        add_key_to_file(runtime.settings.data_dir)
        runtime.__dict__.pop("cipher", None)  # the next use reads the key ring again
    cipher = runtime.cipher
    changed = rekey(runtime.engine, cipher, metadata(),
                    lambda step: progress(step.table, step.rows))
    return cipher.current_key_id, changed


def erase_all_data(runtime: Runtime) -> None:
    """Delete every row of every tix table (for `tix demo --reset`); the schema stays."""
    from tix.adapters.db.rows import metadata

    with runtime.engine.begin() as conn:
        for table in reversed(metadata().sorted_tables):
            conn.execute(table.delete())


# -- the message queues ------------------------------------------------------------------

def queue_names() -> tuple[str, ...]:
    """The queues a message can wait in: the outbox, then the SQS queues."""
    from tix.adapters.queue.sqs import QUEUES

    return (OUTBOX, *QUEUES)


def waiting(runtime: Runtime) -> dict[str, int]:
    """Messages waiting in each queue ("outbox", "payment-events", …) and in its dead-letter
    queue ("outbox-dlq", …); the SQS queues only when TIX_QUEUE_URL names them."""
    counts = {OUTBOX: runtime.outbox.pending_count(),
              f"{OUTBOX}-dlq": runtime.dead_letters.count()}
    if runtime.queue_transport is not None:
        counts.update(runtime.queue_transport.pending())
    return counts


def dead_letters(runtime: Runtime, limit: int) -> list[DeadLetter]:
    """The outbox's dead letters, oldest first: what they are, never what they carry."""
    return runtime.dead_letters.oldest(limit)


def redrive(runtime: Runtime, queue: str) -> int:
    """Send a dead-letter queue's messages back to `queue`; returns how many."""
    if queue == OUTBOX:
        return runtime.dead_letters.redrive()
    if queue not in queue_names():
        raise Invalid(f"{queue!r} is not one of {', '.join(queue_names())}")
    if runtime.queue_transport is None:
        raise Invalid("no SQS queue here: messages go through the database outbox "
                      f"(redrive {OUTBOX!r}, or set TIX_QUEUE_URL=sqs://… to use SQS)")
    return runtime.queue_transport.redrive(queue)
