"""Bad input never produces a traceback: exit 2 with a message, and nothing is written."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import text

from tests.cli.conftest import Tix

NASTY = st.one_of(
    st.text(max_size=400),
    st.sampled_from(["'; DROP TABLE users; --", "\" OR 1=1 --", "%", "_", "\\", "\x00",
                     "a" * 5000, "\udcff\udcfe", "ünïcödé@exämple.com", "@", "a@", "@b"]),
)


def raw(line: str) -> bytes:
    """What a terminal or pipe would send: bytes, not necessarily UTF-8."""
    return line.replace("\n", "").encode("utf-8", "surrogateescape") + b"\n"


def count_users(runtime) -> int:
    with runtime.engine.connect() as conn:
        return conn.execute(text("SELECT count(*) FROM users")).scalar_one()


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(email=NASTY, name=NASTY, dob=NASTY, password=NASTY)
def test_register_refuses_bad_input_cleanly(tix_sqlite: Tix, email, name, dob, password):
    before = count_users(tix_sqlite.runtime)
    outcome = tix_sqlite("account", "register", "--email", email, "--name", name,
                         "--dob", dob, "--password-stdin",
                         input=raw(password))
    assert outcome.exit_code in (0, 2, 5), outcome.stderr
    assert "Traceback" not in outcome.stderr and "internal error" not in outcome.stderr
    if outcome.exit_code != 0:
        assert outcome.stderr.startswith(("tix: ", "Usage:", "Error")), outcome.stderr
        assert count_users(tix_sqlite.runtime) == before


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(email=NASTY, token=NASTY)
def test_login_verify_and_reset_never_crash(tix_sqlite: Tix, email, token):
    for args, stdin in ((("login", "--email", email, "--password-stdin"), "Some-pass-123!"),
                        (("account", "verify", token), None),
                        (("account", "forgot-password", "--email", email), None),
                        (("account", "reset-password", token, "--password-stdin"),
                         "New-pass-12345!")):
        outcome = tix_sqlite(*args, input=None if stdin is None else raw(stdin))
        assert outcome.exit_code in (0, 2, 3, 4, 5), (args, outcome.stderr)
        assert "Traceback" not in outcome.stderr and "internal error" not in outcome.stderr
