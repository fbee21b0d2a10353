"""The outbox: written with the change, delivered at least once, handled exactly once."""

import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass

import pytest

from tix.core.messages import Message, Subscription
from tix.daemon import Daemon


@dataclass(frozen=True, kw_only=True)
class Pinged(Message):
    n: int


class Recorder:
    def __init__(self) -> None:
        self.seen: Counter[int] = Counter()
        self.lock = threading.Lock()
        self.fail_first: set[int] = set()

    def handle(self, message: Pinged, uow) -> None:
        with self.lock:
            if message.n in self.fail_first:
                self.fail_first.discard(message.n)
                raise RuntimeError("boom")
            self.seen[message.n] += 1


def with_recorder(runtime, recorder: Recorder):
    runtime.subscriptions.append(Subscription(Pinged, "record_ping", recorder.handle))
    return runtime


def publish(runtime, *numbers: int, commit: bool = True) -> None:
    with runtime.uow() as uow:
        uow.publish(*(Pinged(n=n) for n in numbers))
        if commit:
            uow.commit()


def test_messages_of_a_rolled_back_transaction_are_never_delivered(runtime):
    recorder = Recorder()
    with_recorder(runtime, recorder)
    publish(runtime, 1, commit=False)
    publish(runtime, 2)
    Daemon(runtime).run_once()
    assert recorder.seen == Counter({2: 1})


def test_a_message_delivered_twice_is_handled_once(runtime):
    recorder = Recorder()
    with_recorder(runtime, recorder)
    publish(runtime, 7)
    envelope = runtime.outbox.claim("test")[0]
    daemon = Daemon(runtime)
    for _ in range(2):  # as if the daemon died before its acknowledgement, and it came again
        with runtime.uow() as uow:
            assert daemon._handle(envelope, uow) is None
            uow.commit()
    assert recorder.seen == Counter({7: 1})


def test_a_failing_handler_is_retried_later_without_blocking_others(runtime, clock):
    from datetime import timedelta

    recorder = Recorder()
    recorder.fail_first = {1}
    with_recorder(runtime, recorder)
    publish(runtime, 1, 2)
    Daemon(runtime).run_once()
    assert recorder.seen == Counter({2: 1})
    assert runtime.outbox.pending_count() == 1
    clock.advance(timedelta(seconds=6))
    Daemon(runtime).run_once()
    assert recorder.seen == Counter({1: 1, 2: 1})
    assert runtime.outbox.pending_count() == 0


def test_a_claim_left_by_a_dead_daemon_is_taken_over_after_its_lease(runtime, clock):
    from datetime import timedelta

    recorder = Recorder()
    with_recorder(runtime, recorder)
    publish(runtime, 3)
    assert len(runtime.outbox.claim("dead-daemon")) == 1
    assert Daemon(runtime).run_once() == 0  # still leased
    clock.advance(timedelta(minutes=3))
    Daemon(runtime).run_once()
    assert recorder.seen == Counter({3: 1})


@pytest.mark.parametrize("database", ["postgres"], indirect=True)
def test_two_daemons_side_by_side_deliver_each_message_once(database, make_runtime):
    recorder = Recorder()
    publisher = make_runtime(database)
    publish(publisher, *range(600))
    daemons = [Daemon(with_recorder(make_runtime(database), recorder), worker_id=f"d{i}",
                      batch=20) for i in range(2)]
    claimed = Counter()

    def run(daemon: Daemon) -> None:
        while (n := daemon.deliver_batch()):
            claimed[daemon.worker_id] += n

    threads = [threading.Thread(target=run, args=(d,)) for d in daemons]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(recorder.seen) == list(range(600))
    assert set(recorder.seen.values()) == {1}
    assert all(claimed[d.worker_id] > 0 for d in daemons), claimed  # both really worked
    assert publisher.outbox.pending_count() == 0


def test_the_daemon_stops_cleanly_on_sigterm(tmp_path):
    env = {**os.environ, "TIX_DATA_DIR": str(tmp_path / "data"),
           "TIX_CONFIG_DIR": str(tmp_path / "config"), "TIX_DATABASE_URL": ""}
    process = subprocess.Popen([sys.executable, "-m", "tix", "daemon", "--idle", "0.1"],
                               env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True)
    deadline = time.monotonic() + 20
    while not (tmp_path / "data" / "tix.db").exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.5)
    process.send_signal(signal.SIGTERM)
    _, stderr = process.communicate(timeout=10)
    assert process.returncode == 0, stderr
    assert "SIGTERM" in stderr and "stopped" in stderr


def test_a_sigterm_during_start_up_still_stops_the_daemon(tmp_path):
    """The signal used to reach the handler before the workers existed: they never heard
    it, and the daemon ran on until killed."""
    env = {**os.environ, "TIX_DATA_DIR": str(tmp_path / "data"),
           "TIX_CONFIG_DIR": str(tmp_path / "config"), "TIX_DATABASE_URL": ""}
    signal_in_start_up = (  # SIGTERM arrives just before the workers are made
        "import os, runpy, signal, tix.heap\n"
        "tix.heap.settle = lambda: os.kill(os.getpid(), signal.SIGTERM)\n"
        "runpy.run_module('tix', run_name='__main__')\n")
    process = subprocess.Popen([sys.executable, "-c", signal_in_start_up, "daemon",
                                "--idle", "0.1"], env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    try:
        _, stderr = process.communicate(timeout=30)
    finally:
        process.kill()
    assert process.returncode == 0, stderr
    assert "SIGTERM" in stderr and "stopped" in stderr


def test_a_failing_handler_does_not_undo_or_repeat_the_others(runtime, clock):
    from datetime import timedelta

    steady, flaky = Recorder(), Recorder()
    flaky.fail_first = {5}
    runtime.subscriptions.append(Subscription(Pinged, "steady", steady.handle))
    runtime.subscriptions.append(Subscription(Pinged, "flaky", flaky.handle))
    publish(runtime, 5)
    Daemon(runtime).run_once()
    assert steady.seen == Counter({5: 1}) and flaky.seen == Counter()
    clock.advance(timedelta(seconds=6))
    Daemon(runtime).run_once()
    assert steady.seen == Counter({5: 1}) and flaky.seen == Counter({5: 1})


def test_sweeps_are_spaced_out_but_one_that_found_work_runs_again_at_once(runtime):
    from tix.routing import Job

    runs = {"idle": 0, "busy": 0}
    backlog = [3]

    def idle() -> int:
        runs["idle"] += 1
        return 0

    def busy() -> int:  # two items a sweep, as a batched sweep would
        runs["busy"] += 1
        taken = min(2, backlog[0])
        backlog[0] -= taken
        return taken

    runtime.__dict__["jobs"] = [Job("idle", idle, every=3600), Job("busy", busy, every=3600)]
    daemon = Daemon(runtime)
    daemon.run_once()
    assert backlog == [0]  # not left for an hour
    assert runs == {"idle": 1, "busy": 3}  # two sweeps with work, one finding none
    daemon.run_once()
    assert runs == {"idle": 1, "busy": 3}  # both idle and not due yet


class LateDatabase:
    """A TCP port that refuses connections until `open()`, then forwards them to
    PostgreSQL: a database that comes up after the daemon (a reboot, a failover)."""

    def __init__(self) -> None:
        import socketserver
        import threading

        from tests.smtp_server import free_port

        self.port = free_port()
        self._threading, self._socketserver = threading, socketserver

    def open(self) -> None:
        import select
        import socket

        class Pipe(self._socketserver.BaseRequestHandler):
            def handle(self) -> None:
                upstream = socket.create_connection(("127.0.0.1", 5432))
                sides = [self.request, upstream]
                while True:
                    readable, _, _ = select.select(sides, [], [], 5)
                    for side in readable:
                        data = side.recv(65536)
                        if not data:
                            upstream.close()
                            return
                        (upstream if side is self.request else self.request).sendall(data)

        self._socketserver.ThreadingTCPServer.allow_reuse_address = True
        self.server = self._socketserver.ThreadingTCPServer(("127.0.0.1", self.port), Pipe)
        self.server.daemon_threads = True
        self._threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def test_a_daemon_started_before_its_database_waits_for_it(tmp_path, pg_database_url):
    late = LateDatabase()
    name = pg_database_url.rsplit("/", 1)[1]
    env = {**os.environ, "TIX_DATA_DIR": str(tmp_path / "data"),
           "TIX_CONFIG_DIR": str(tmp_path / "config"),
           "TIX_DATABASE_URL": f"postgresql+psycopg://postgres@127.0.0.1:{late.port}/{name}"}
    process = subprocess.Popen([sys.executable, "-m", "tix", "daemon", "--idle", "0.1"],
                               env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True)
    try:
        time.sleep(2.5)
        assert process.poll() is None  # still there, waiting
        late.open()
        time.sleep(4)  # the next try (pauses double: 1, 2, 4 s) finds the database
        process.send_signal(signal.SIGTERM)
        _, stderr = process.communicate(timeout=15)
    finally:
        if process.poll() is None:
            process.kill()
        if hasattr(late, "server"):
            late.close()
    assert process.returncode == 0, stderr
    assert "waiting for the database" in stderr
    assert stderr.index(" started") > stderr.rindex("waiting for the database")  # then ran
