"""What the outbox keeps of a message, and for how long: a delivered one keeps no payload;
rows, handlers' records and dead letters go after TIX_MESSAGE_RETENTION_DAYS; an erased
person's dead letters go at the erasure."""

from datetime import timedelta

import pytest
from sqlalchemy import text

from tests.integration.test_outbox_daemon import Recorder, publish, with_recorder
from tests.support import deliver, user
from tix.config import load_settings
from tix.core.accounts.events import PasswordChanged
from tix.core.errors import Invalid


def outbox(runtime) -> list[tuple[str, str, bool]]:
    with runtime.engine.connect() as conn:
        return [(name, payload, dead) for name, payload, dead in conn.execute(text(
            "SELECT name, payload, dead_at IS NOT NULL FROM outbox ORDER BY seq"))]


def records(runtime) -> int:
    with runtime.engine.connect() as conn:
        return conn.execute(text("SELECT count(*) FROM processed_messages")).scalar_one()


def test_a_delivered_message_keeps_no_payload(runtime):
    with_recorder(runtime, Recorder())
    publish(runtime, 1)
    [(_, sealed, _)] = outbox(runtime)
    assert sealed.startswith("v1:")
    deliver(runtime)
    assert outbox(runtime) == [("Pinged", "", False)]


def test_delivered_messages_and_their_records_go_after_the_retention(make_runtime, database,
                                                                      clock):
    runtime = with_recorder(make_runtime(database, message_retention_days=3), Recorder())
    publish(runtime, 1)
    deliver(runtime)
    assert records(runtime) == 1
    clock.advance(timedelta(days=1))
    publish(runtime, 2)
    [envelope] = runtime.outbox.claim("t")
    runtime.dead_letters.set_aside(envelope.id, "RuntimeError: boom")  # as after 5 failures
    clock.advance(timedelta(days=2, minutes=1))
    deliver(runtime)  # the delivered one is older than 3 days, the dead letter not yet
    assert [(name, dead) for name, _, dead in outbox(runtime)] == [
        ("Pinged", True), ("MessageDeadLettered", False)]  # and the admins' alert
    assert records(runtime) == 1  # the alert's
    clock.advance(timedelta(days=3, minutes=1))
    deliver(runtime)
    assert outbox(runtime) == [] and records(runtime) == 0


def test_the_retention_is_whole_days_at_least_one():
    assert load_settings({"TIX_MESSAGE_RETENTION_DAYS": "30"}).message_retention_days == 30
    assert load_settings({}).message_retention_days == 14
    for wrong in ("0", "two weeks"):
        with pytest.raises(Invalid, match="TIX_MESSAGE_RETENTION_DAYS"):
            load_settings({"TIX_MESSAGE_RETENTION_DAYS": wrong})


def test_an_erasure_drops_the_persons_dead_letters_and_keeps_the_others(runtime):
    ann = user(runtime)
    bob = user(runtime, "bob@example.com", name="Bob")
    with runtime.uow() as uow:
        uow.publish(*(PasswordChanged(user_id=who, email=f"{who}@example.com", name="x")
                      for who in (ann, bob)))
        uow.commit()
    for envelope in runtime.outbox.claim("t"):
        if envelope.name == "PasswordChanged":
            runtime.dead_letters.set_aside(envelope.id, "RuntimeError: boom")
    runtime.privacy.erase(ann)
    deliver(runtime)
    [letter] = runtime.dead_letters.oldest(10)
    assert letter.type == "PasswordChanged"
    with runtime.engine.connect() as conn:
        payload = conn.execute(text("SELECT payload FROM outbox WHERE id = :i"),
                               {"i": letter.id}).scalar_one()
    assert bob in runtime.cipher.decrypt(payload)
