"""Notifications delivered per second: to the Maildir and to a local SMTP server.

The real path: mails rendered from templates and stored PENDING (as the daemon's handlers
do), then sent by the daemon's sender (claim, send outside any transaction, record SENT).
Target: at least 200/s to the Maildir. The SMTP server (aiosmtpd) runs in this process,
so it shares the interpreter with the sender: a lower bound for a real server.

Run: .venv/bin/python bench/mail.py [--mails 1000] [--quick]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.startup import with_pg_database  # noqa: E402


def queue_and_send(label: str, database_url: str, mails: int, smtp_url: str | None = None
                   ) -> None:
    from tix.bootstrap import bootstrap
    from tix.config import Settings
    from tix.operations import upgrade_database

    home = Path(tempfile.mkdtemp())
    settings = Settings(data_dir=home, config_dir=home, database_url=database_url,
                        secret_key="x" * 40, smtp_url=smtp_url)
    upgrade_database(settings)
    runtime = bootstrap(settings)
    with runtime.uow() as uow:
        for n in range(mails):
            runtime.notifications.queue(uow, to=f"user{n}@example.com", template="password_reset",
                                        context={"name": f"User {n}", "token": "t" * 43,
                                                 "command": "tix account reset-password t",
                                                 "link": "https://tix.test/reset?token=t",
                                                 "expires_at": "2026-11-25T12:00:00+00:00"})
        uow.commit()
    started = time.perf_counter()
    sent = 0
    while (batch := runtime.notifications.send_due()):
        sent += batch
    elapsed = time.perf_counter() - started
    failed = [n for n in runtime.notifications.list(limit=mails) if n.status.value != "SENT"]
    runtime.close()
    rate = sent / elapsed
    print(f"{label:<24} {sent} mails in {elapsed:5.2f} s = {rate:6.0f}/s"
          f"{'   target >= 200/s ' + ('ok' if rate >= 200 else 'MISSED') if not smtp_url else ''}"
          f"{f'   ({len(failed)} not sent!)' if failed else ''}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--mails", type=int, default=1000)
    parser.add_argument("--quick", action="store_true", help="100 mails")
    options = parser.parse_args()
    mails = 100 if options.quick else options.mails
    home = Path(tempfile.mkdtemp())
    queue_and_send("Maildir, SQLite", f"sqlite:///{home / 'a.db'}", mails)
    with_pg_database(lambda url: queue_and_send("Maildir, PostgreSQL", url, mails))

    from aiosmtpd.controller import Controller

    from tests.smtp_server import Answers, free_port

    port = free_port()
    controller = Controller(Answers(), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        queue_and_send("SMTP (aiosmtpd), SQLite", f"sqlite:///{home / 'b.db'}", mails,
                       smtp_url=f"smtp://127.0.0.1:{port}")
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
