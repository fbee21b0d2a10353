"""Start-up and daemon throughput: the figures of the foundation issue.

  tix --help          target < 0.2 s   (median of N runs, a fresh process each)
  tix whoami          target < 0.6 s   (embedded SQLite, logged in)
  daemon, 1,000 queued mails → Maildir, target < 5 s, on SQLite and on PostgreSQL

Run: .venv/bin/python bench/startup.py [--runs 15] [--messages 1000] [--quick]
"""

from __future__ import annotations

import argparse
import mailbox
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
PG_SERVER = os.environ.get("TIX_BENCH_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432")
PASSWORD = "Bench-pass-2026!"


def tix_command() -> list[str]:
    script = Path(sys.executable).with_name("tix")
    return [str(script)] if script.exists() else [sys.executable, "-m", "tix"]


def time_command(args: list[str], env: dict[str, str], runs: int) -> list[float]:
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run([*tix_command(), *args], env=env, check=True, capture_output=True)
        timings.append(time.perf_counter() - started)
    return timings


def cli_figures(home: Path, runs: int) -> None:
    env = {**os.environ, "TIX_DATA_DIR": str(home / "data"),
           "TIX_CONFIG_DIR": str(home / "config"), "TIX_BCRYPT_ROUNDS": "4"}
    for variable in ("TIX_DATABASE_URL", "TIX_REDIS_URL", "TIX_SMTP_URL"):
        env.pop(variable, None)
    subprocess.run([*tix_command(), "demo"], env=env, check=True, capture_output=True)
    subprocess.run([*tix_command(), "login", "--email", "customer@demo.tix",
                    "--password-stdin"], env=env, check=True,
                   capture_output=True, input=b"Demo-pass-2026!\n")
    for label, args, target in (("tix --help", ["--help"], 0.2),
                                ("tix whoami", ["whoami"], 0.6)):
        timings = time_command(args, env, runs)
        median = statistics.median(timings)
        print(f"{label:<12} median {median * 1000:6.0f} ms   min {min(timings) * 1000:5.0f} ms"
              f"   target < {target * 1000:.0f} ms   {'ok' if median < target else 'MISSED'}")


def daemon_figure(label: str, database_url: str, home: Path, messages: int) -> None:
    from tix.bootstrap import bootstrap
    from tix.config import Settings
    from tix.core.accounts.events import VerificationRequested
    from tix.daemon import Daemon
    from tix.operations import upgrade_database

    settings = Settings(data_dir=home / "data", config_dir=home / "config",
                        database_url=database_url, secret_key="x" * 40)
    upgrade_database(settings)
    runtime = bootstrap(settings)
    with runtime.uow() as uow:
        for n in range(messages):
            uow.publish(VerificationRequested(
                user_id=str(uuid.uuid4()), email=f"user{n}@example.com", name=f"User {n}",
                token=uuid.uuid4().hex, expires_at="2026-11-25T12:00:00+00:00"))
        uow.commit()
    _ = runtime.notifications  # built before timing, as in a daemon already running
    started = time.perf_counter()
    Daemon(runtime).run_once()
    elapsed = time.perf_counter() - started
    delivered = len(mailbox.Maildir(settings.mail_dir))
    runtime.close()
    print(f"daemon {label:<10} {delivered} mails in {elapsed:5.2f} s "
          f"({delivered / elapsed:6.0f}/s)   target < 5 s   "
          f"{'ok' if elapsed < 5 and delivered == messages else 'MISSED'}")


def sell_for(runtime, event_id: str, user_ids: list[str]) -> None:  # type: ignore[no-untyped-def]
    """Put the clerks a bench sells with on the event's team: since teams per event, a
    clerk sells only for their teams' events (a tree from before teams has none)."""
    try:
        from tix.core.catalog.model import TeamMember, TeamRole
    except ImportError:
        return
    with runtime.uow() as uow:
        for user_id in user_ids:
            uow.catalog.put_team_member(TeamMember(
                event_id=event_id, user_id=user_id, role=TeamRole.CLERK,
                added_at=runtime.clock.now(), added_by=user_id))
        uow.catalog.bump_version()
        uow.commit()


def with_pg_database(run) -> None:  # type: ignore[no-untyped-def]
    from sqlalchemy import create_engine, text

    name = f"tix_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(f"{PG_SERVER}/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        run(f"{PG_SERVER}/{name}")
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
        admin.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--messages", type=int, default=1000)
    parser.add_argument("--quick", action="store_true", help="3 runs, 100 messages")
    options = parser.parse_args()
    if options.quick:
        options.runs, options.messages = 3, 100
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores")
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp)
        cli_figures(home / "cli", options.runs)
        daemon_figure("SQLite", f"sqlite:///{home / 'sqlite' / 'tix.db'}", home / "sqlite",
                      options.messages)
        with_pg_database(lambda url: daemon_figure("PostgreSQL", url, home / "pg",
                                                   options.messages))


if __name__ == "__main__":
    main()
