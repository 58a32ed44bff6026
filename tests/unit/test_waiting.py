"""The one waiting helper: a condition polled to a deadline, never a failure turned into a pass."""

import time

import pytest

from swarmlab.errors import TimedOut
from swarmlab.waiting import until


class Clock:
    """A clock the condition moves: each call takes `cost` seconds, each sleep what tenacity asks."""

    def __init__(self, cost: float):
        self.now, self.cost, self.slept = 0.0, cost, []

    def monotonic(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


@pytest.fixture
def clock(monkeypatch):
    made = Clock(cost=3.0)
    monkeypatch.setattr(time, "monotonic", made.monotonic)  # the helper's and tenacity's deadline
    monkeypatch.setattr(time, "sleep", made.sleep)  # tenacity's wait between polls
    return made


def test_a_poll_waits_at_least_as_long_as_its_condition_took(clock):
    calls = []

    def slow():
        clock.now += clock.cost
        calls.append(clock.now)
        return len(calls) >= 3

    assert until(slow, timeout=60, what="it", interval=1)
    assert clock.slept == [3.0, 3.0]


def test_a_condition_that_never_holds_ends_in_timed_out_naming_what_was_missing(clock):
    def never():
        clock.now += clock.cost
        return False

    with pytest.raises(TimedOut, match=r"it: not within 20 s \(still nothing\)"):
        until(never, timeout=20, what="it", progress=lambda: "still nothing")
