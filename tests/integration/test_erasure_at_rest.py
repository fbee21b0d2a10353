"""After an erasure the person is gone from the database at rest: not in clear, and not in
any encrypted value, whole or a torn copy, that the key opens — in the SQLite file and its
WAL as they lie while tix runs, and in a pg_dump. The attacker here holds the encryption
key. The one exception is SECURITY.md's: the audit trail keeps who did what, its actor
encrypted (rewriting it would break the hash chain `tix admin audit --verify` checks)."""

from __future__ import annotations

import base64
import binascii
import re
from datetime import date, timedelta

from sqlalchemy import text

from tests.catalog_support import an_event, on_every_team
from tests.cli.conftest import Tix
from tests.support import PASSWORD, database_bytes, deliver
from tix.adapters.crypto import key_ring
from tix.core.orders.model import Tender
from tix.core.ports import MailError
from tix.core.principal import Role

EMAIL = "Ottilie.Brackenridge@example.com"
NAME = "Ottilie Brackenridge"
FRIEND = "Wendeline Featherstonehaugh"
BIRTH = date(1979, 3, 14)
# a stored value: v1:<key id>:<base64 of nonce + ciphertext + tag>, maybe cut short
SEALED = re.compile(rb"v1:([A-Za-z0-9_-]{1,32}):([A-Za-z0-9+/]{24,}={0,2})")


def a_life_then_erasure(runtime, mailer, clock) -> list[str]:
    """Register, verify, buy for two, reset the password, delete the account; returns the
    person's one-time tokens."""
    tix = Tix(runtime)
    runtime.accounts.register(email=EMAIL, password=PASSWORD, name=NAME, date_of_birth=BIRTH,
                              role=Role.CLERK)
    # the first try is refused by a server quoting the recipient, as servers do
    mailer.failures.append(MailError(f"SMTP 451 <{EMAIL}>: {NAME} try later", temporary=True))
    deliver(runtime)
    clock.advance(timedelta(minutes=2))
    deliver(runtime)
    verification = re.search(r"tix account verify (\S+)", mailer.last_to(EMAIL).text)[1]
    runtime.accounts.verify_email(verification)
    assert tix.login(EMAIL, PASSWORD).exit_code == 0
    buyer = runtime.accounts.login(email=EMAIL, password=PASSWORD).principal
    standing = runtime.catalog.show(an_event(runtime)).ticket_types[0]
    on_every_team(runtime, buyer)
    runtime.orders.buy(buyer, standing.id, 2, tender=Tender.CASH, tendered=9000,
                       holders=[NAME, FRIEND])
    mailer.failures.append(MailError(f"SMTP 452 <{EMAIL}>: mailbox full", temporary=True))
    deliver(runtime)  # a mail about the order waits for its retry, the refusal recorded
    runtime.accounts.forgot_password(EMAIL)
    deliver(runtime)
    reset = re.search(r"reset-password (\S+)", mailer.last_to(EMAIL).text)[1]
    assert tix("account", "delete", "--yes").exit_code == 0
    assert tix("daemon", "--once").exit_code == 0  # the erasure's handlers
    return [verification, reset]


def audit_values(runtime) -> set[bytes]:
    with runtime.engine.connect() as conn:
        rows = conn.execute(text("SELECT actor, details FROM audit_entries")).all()
    return {SEALED.search(v.encode())[2] for row in rows for v in row if v.startswith("v1:")}


def opened(key: bytes, encoded: bytes) -> str:
    """What the key reads in a sealed value, even a torn one: AES-GCM is a counter mode,
    so every whole block after the nonce decrypts without the tag."""
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

    encoded = encoded[:len(encoded) - len(encoded) % 4]
    try:
        raw = base64.b64decode(encoded)
    except binascii.Error:
        return ""
    if len(raw) <= 12:
        return ""
    counter = raw[:12] + (2).to_bytes(4, "big")  # GCM's first block for the plaintext
    decryptor = Cipher(algorithms.AES(key), modes.CTR(counter)).decryptor()
    return (decryptor.update(raw[12:]) + decryptor.finalize()).decode("utf-8", "ignore")


def found(raw: bytes, keys: dict[str, bytes], secrets: list[str], kept: set[bytes]
          ) -> list[str]:
    wanted = [s.lower() for s in secrets]
    hits = [f"{s!r} in clear" for s in wanted if s.encode() in raw.lower()]
    for match in set(SEALED.findall(raw)):
        key_id, encoded = match[0].decode(), match[1]
        # a record's next column may run on into the match (base64 has no end mark)
        if key_id in keys and not any(encoded.startswith(value) for value in kept):
            plain = opened(keys[key_id], encoded).lower()
            hits += [f"{s!r} sealed in …{plain[max(0, plain.index(s) - 40):][:80]!r}…"
                     for s in wanted if s in plain]
    return hits


def test_an_erased_person_cannot_be_read_back_even_with_the_key(runtime, database, mailer,
                                                               clock):
    tokens = a_life_then_erasure(runtime, mailer, clock)
    keys = key_ring(runtime.settings.encryption_key, runtime.settings.data_dir,
                    production=False).keys
    # while the daemon holds the SQLite files open: closing would checkpoint the WAL away
    raw = database_bytes(database)
    assert SEALED.search(raw)  # sealed values are there: the scan looked at something
    secrets = [EMAIL, "Ottilie", "Brackenridge", "Wendeline", "Featherstonehaugh",
               BIRTH.isoformat(), *tokens]
    leaks = found(raw, keys, secrets, kept=audit_values(runtime))
    assert not leaks, "the erased person is still there:\n" + "\n".join(sorted(set(leaks)))


def test_a_mail_still_on_its_way_at_the_erasure_is_neither_kept_nor_sent(runtime, mailer):
    erased = runtime.accounts.register(email=EMAIL, password=PASSWORD, name=NAME,
                                       date_of_birth=BIRTH)  # the verification mail's message
    runtime.privacy.erase(erased)  # before the daemon delivered it
    deliver(runtime)
    assert mailer.to(EMAIL) == []
    with runtime.uow(readonly=True) as uow:
        assert uow.notifications.for_user(erased) == []
