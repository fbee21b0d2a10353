"""Rotating the encryption key re-encrypts everything, and nothing stops working."""

import base64
import secrets

from sqlalchemy import text

from tests.cli.conftest import Tix
from tests.support import PASSWORD, deliver, user


def key_ids(runtime) -> set[str]:
    with runtime.engine.connect() as conn:
        values = conn.execute(text("SELECT email FROM users UNION ALL "  # delivered: ''
                                   "SELECT payload FROM outbox WHERE payload <> '' UNION ALL "
                                   "SELECT recipient FROM notifications")).scalars()
        return {v.split(":")[1] for v in values}


def test_rotate_key_moves_every_value_to_a_new_key_in_the_key_file(runtime):
    user(runtime)
    runtime.accounts.forgot_password("ann@example.com")
    deliver(runtime)
    assert key_ids(runtime) == {"k1"}
    outcome = Tix(runtime)("admin", "rotate-key", "--new-key", "--json")
    assert outcome.exit_code == 0, outcome.stderr
    assert outcome.json()["key_id"] == "k2" and outcome.json()["rows"] >= 3
    assert key_ids(runtime) == {"k2"}
    login = runtime.accounts.login(email="ANN@example.com", password=PASSWORD)
    assert login.principal.name == "Ann Example"
    again = Tix(runtime)("admin", "rotate-key", "--json")
    assert again.json()["rows"] == 0  # nothing left: a second run is harmless


def test_lookups_work_during_a_rotation_with_an_environment_key(make_runtime, database):
    old = base64.b64encode(secrets.token_bytes(32)).decode()
    new = base64.b64encode(secrets.token_bytes(32)).decode()
    before = make_runtime(database, encryption_key=f"old:{old}")
    user(before)
    during = make_runtime(database, encryption_key=f"new:{new},old:{old}")
    login = during.accounts.login(email="ann@example.com", password=PASSWORD)  # rows on old
    assert login.principal.name == "Ann Example"
    Tix(during)("admin", "rotate-key")
    assert key_ids(during) == {"new"}
    after = make_runtime(database, encryption_key=f"new:{new}")
    login = after.accounts.login(email="ann@example.com", password=PASSWORD)
    assert login.principal.name == "Ann Example"
