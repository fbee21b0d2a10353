"""Dead letters in the database outbox: a message the daemon cannot read, or whose handler
keeps failing, is set aside — counted, the admins told once, listed, redriven — and every
message behind it is still delivered."""

import base64
import secrets
from collections import Counter
from datetime import timedelta

from sqlalchemy import text

from tests.cli.conftest import Tix
from tests.integration.test_outbox_daemon import Pinged, Recorder, publish, with_recorder
from tests.support import deliver, user
from tix.adapters.queue.sqs import MAX_RECEIVES
from tix.core.messages import Subscription
from tix.core.principal import Role
from tix.daemon import Daemon
from tix.operations import metrics

OTHER_KEY = base64.b64encode(secrets.token_bytes(32)).decode()


def alerts(runtime) -> list[str]:
    return [n.recipient for n in runtime.notifications.list() if n.template == "dead_letters"]


def gauge(runtime, name: str) -> float:
    [line] = [x for x in metrics(runtime).splitlines() if x.startswith(f"{name} ")]
    return float(line.split()[1])


def dead_letters(tix) -> dict:
    listed = tix("queue", "dlq", "list", "--json")
    assert listed.exit_code == 0, listed.stderr
    return listed.json()


def test_a_message_under_another_key_is_set_aside_and_the_rest_delivered(make_runtime,
                                                                         database, mailer):
    recorder = Recorder()
    runtime = with_recorder(make_runtime(database), recorder)
    user(runtime, "root@example.com", role=Role.ADMIN, name="Root")
    # another process, configured with another key under the same key id, same database
    elsewhere = with_recorder(make_runtime(database, encryption_key=f"k1:{OTHER_KEY}"),
                              recorder)
    publish(elsewhere, 1, 2)
    publish(runtime, 3, 4, 5)
    tix = Tix(runtime)

    outcome = tix("daemon", "--once")
    assert outcome.exit_code == 0, outcome.stderr
    assert recorder.seen == Counter({3: 1, 4: 1, 5: 1})  # nothing waits behind the bad ones
    assert gauge(runtime, "tix_outbox_dead_letters") == 2
    assert gauge(runtime, "tix_outbox_pending") == 0
    assert alerts(runtime) == ["root@example.com"]  # one alert for the burst
    assert "dlq" in mailer.last_to("root@example.com").text

    listed = dead_letters(tix)
    assert (listed["outbox"], listed["outbox-dlq"]) == (0, 2)
    [first, _] = listed["dead_letters"]
    assert set(first) == {"id", "type", "error", "attempts", "dead_at"}  # never the payload
    assert (first["type"], first["attempts"]) == ("Pinged", 1)
    assert "another encryption key" in first["error"]

    # redriven while still unreadable here: set aside again, and the admins told again
    redriven = tix("queue", "dlq", "redrive")
    assert redriven.exit_code == 0 and "Sent 2 message(s) back to outbox" in redriven.stderr
    assert gauge(runtime, "tix_outbox_dead_letters") == 0
    assert tix("daemon", "--once").exit_code == 0
    assert dead_letters(tix)["outbox-dlq"] == 2
    assert alerts(runtime) == ["root@example.com"] * 2

    # once a daemon with the key takes them, they are delivered
    assert tix("queue", "dlq", "redrive", "outbox").exit_code == 0
    Daemon(elsewhere).run_once()
    assert recorder.seen == Counter({1: 1, 2: 1, 3: 1, 4: 1, 5: 1})
    assert dead_letters(tix)["outbox-dlq"] == 0


def test_a_corrupt_message_is_set_aside(runtime):
    recorder = Recorder()
    with_recorder(runtime, recorder)
    user(runtime, "root@example.com", role=Role.ADMIN, name="Root")
    publish(runtime, 1, 2, 3, 4)
    broken = {1: runtime.cipher.encrypt("{not json"),  # decrypts, does not decode
              2: runtime.cipher.encrypt("[1, 2]"),  # JSON, not an object
              3: "v1:k1:not base64!"}
    with runtime.engine.begin() as conn:
        seqs = conn.execute(text("SELECT seq FROM outbox WHERE name = 'Pinged' ORDER BY seq")
                            ).scalars().all()
        for n, payload in broken.items():
            conn.execute(text("UPDATE outbox SET payload = :p WHERE seq = :s"),
                         {"p": payload, "s": seqs[n - 1]})
    assert Tix(runtime)("daemon", "--once").exit_code == 0
    assert recorder.seen == Counter({4: 1})
    errors = [d["error"] for d in dead_letters(Tix(runtime))["dead_letters"]]
    assert len(errors) == 3 and "JSONDecodeError" in errors[0] and "not an object" in errors[1]
    assert alerts(runtime) == ["root@example.com"]


def test_a_message_whose_handler_keeps_failing_is_set_aside_after_five_attempts(runtime,
                                                                                clock):
    broken = {"yes": True}

    def choke(message: Pinged, uow) -> None:
        if broken["yes"] and message.n == 13:
            raise RuntimeError("cannot handle this one")

    recorder = Recorder()
    with_recorder(runtime, recorder)
    runtime.subscriptions.append(Subscription(Pinged, "choke", choke))
    user(runtime, "root@example.com", role=Role.ADMIN, name="Root")
    publish(runtime, 13)
    for _ in range(MAX_RECEIVES - 1):
        deliver(runtime)
        assert runtime.outbox.pending_count() == 1  # retried later
        clock.advance(timedelta(hours=1))
    deliver(runtime)
    assert runtime.outbox.pending_count() == 0 and runtime.dead_letters.count() == 1
    [letter] = runtime.dead_letters.oldest(10)
    assert letter.attempts == MAX_RECEIVES and "RuntimeError" in letter.error
    assert alerts(runtime) == ["root@example.com"]
    broken["yes"] = False  # fixed
    assert Tix(runtime)("queue", "dlq", "redrive").exit_code == 0
    deliver(runtime)
    assert runtime.dead_letters.count() == 0 and runtime.outbox.pending_count() == 0
    assert recorder.seen == Counter({13: 1})  # its other handler did its work once


def test_redriving_an_unknown_queue_or_sqs_without_it_is_bad_input(runtime):
    tix = Tix(runtime)
    nope = tix("queue", "dlq", "redrive", "nope")
    assert nope.exit_code == 2 and "outbox" in nope.stderr
    sqs = tix("queue", "dlq", "redrive", "payment-events")
    assert sqs.exit_code == 2 and "TIX_QUEUE_URL" in sqs.stderr
    listed = tix("queue", "dlq", "list")
    assert listed.exit_code == 0 and "outbox" in listed.stdout


def test_rotating_the_key_leaves_unreadable_dead_letters_as_they_are(make_runtime, database):
    runtime = make_runtime(database)
    publish(make_runtime(database, encryption_key=f"k1:{OTHER_KEY}"), 1)
    deliver(runtime)
    rotated = Tix(runtime)("admin", "rotate-key", "--new-key", "--json")
    assert rotated.exit_code == 0, rotated.stderr
    assert runtime.dead_letters.count() == 1
