"""Units of work at the database a few at a time, first come first served."""

import threading
import time

import pytest

from tix.adapters.db.admission import Admission
from tix.core.errors import Busy


def _in_line(admission: Admission, count: int) -> None:
    deadline = time.monotonic() + 5
    while admission.waiting < count:
        assert time.monotonic() < deadline, "the threads never got in line"
        time.sleep(0.001)


def test_threads_beyond_the_slots_are_let_in_in_the_order_they_came():
    admission = Admission(1, timeout=5)
    admission.enter()
    let_in: list[int] = []

    def visit(number: int) -> None:
        admission.enter()
        let_in.append(number)
        admission.leave()

    threads = []
    for number in range(6):  # each one in line before the next comes
        thread = threading.Thread(target=visit, args=(number,))
        thread.start()
        threads.append(thread)
        _in_line(admission, number + 1)
    assert let_in == []  # the slot is taken: everyone waits
    admission.leave()
    for thread in threads:
        thread.join(timeout=5)
    assert let_in == [0, 1, 2, 3, 4, 5]
    assert admission.waiting == 0


def test_as_many_threads_as_slots_are_inside_at_once():
    admission = Admission(3, timeout=5)
    inside, most = 0, 0
    lock = threading.Lock()
    release = threading.Event()

    def visit() -> None:
        nonlocal inside, most
        admission.enter()
        with lock:
            inside += 1
            most = max(most, inside)
        release.wait(5)
        with lock:
            inside -= 1
        admission.leave()

    threads = [threading.Thread(target=visit) for _ in range(8)]
    for thread in threads:
        thread.start()
    _in_line(admission, 5)
    deadline = time.monotonic() + 5
    while most < 3 and time.monotonic() < deadline:  # the three let in count themselves
        time.sleep(0.001)
    assert most == 3
    release.set()
    for thread in threads:
        thread.join(timeout=5)
    assert most == 3 and inside == 0


def test_a_thread_inside_passes_again():
    """A unit of work opened within another one: waiting for a turn it holds itself would
    never end."""
    admission = Admission(1, timeout=0.2)
    admission.enter()
    admission.enter()
    admission.leave()
    admission.leave()
    other = threading.Thread(target=lambda: (admission.enter(), admission.leave()))
    other.start()
    other.join(timeout=5)
    assert not other.is_alive()
    assert admission.waiting == 0


def test_a_wait_past_the_timeout_is_refused_as_busy_and_keeps_no_slot():
    admission = Admission(1, timeout=0.05)
    admission.enter()
    refused: list[BaseException] = []

    def visit() -> None:
        try:
            admission.enter()
        except Busy as error:
            refused.append(error)

    thread = threading.Thread(target=visit)
    thread.start()
    thread.join(timeout=5)
    assert len(refused) == 1 and "busy" in refused[0].message
    assert admission.waiting == 0
    admission.leave()
    admission.enter()  # the slot came back, not to the thread that gave up
    admission.leave()


def test_an_admission_needs_a_slot():
    with pytest.raises(ValueError):
        Admission(0, timeout=1)
