"""The one waiting helper: a condition polled to a deadline, never a failure turned into a pass."""

import time

import pytest

from swarmlab.errors import TimedOut
from swarmlab.waiting import until

COST = 0.2  # what each call of the condition takes


def test_a_poll_waits_at_least_twice_as_long_as_its_condition_took():
    calls = []

    def slow():
        started = time.monotonic()
        time.sleep(COST)
        calls.append((started, time.monotonic()))
        return len(calls) >= 3

    assert until(slow, timeout=60, what="it", interval=0.01)
    gaps = [following[0] - previous[1] for previous, following in zip(calls, calls[1:])]
    assert len(gaps) == 2 and all(gap >= 2 * COST for gap in gaps), gaps


def test_a_condition_that_never_holds_ends_in_timed_out_naming_what_was_missing():
    with pytest.raises(TimedOut, match=r"it: not within 0.5 s \(still nothing\)"):
        until(lambda: time.sleep(COST), timeout=0.5, what="it", interval=0.01, progress=lambda: "still nothing")
