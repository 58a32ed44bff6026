"""The one way swarmlab waits: poll a condition until it holds or a deadline passes.

A cluster converges in its own time (tasks start, a db turns healthy, a node's
sshd answers), so everything that waits polls through `until`: bounded, with
progress shown, and on timeout one error that says what was still missing.
Waiting for a state is not retrying a failure: a condition that never holds
ends in TimedOut, never in a pass.
"""

import time
from typing import Callable, Optional

from tenacity import RetryError, Retrying, retry_if_result, stop_after_delay

from .errors import TimedOut

# How long a poll waits, as a share of its interval: a recorded cluster answers at once, so a test that replays one
# sets 0 and the same polls run in no time, each answer in its recorded turn.
PACE = 1.0
# The most of a wait's time its polls may take: on the embedded lab the nodes, their reads and what is awaited
# share the same cores, and reading at a higher duty starves the convergence the read is waiting for.
DUTY = 1 / 3


def until(
    condition: Callable[[], object],
    *,
    timeout: float,
    what: str,
    interval: float = 1.0,
    progress: Optional[Callable[[], str]] = None,
    hold: int = 1,
    step=None,
    error=TimedOut,
):
    """Call `condition` every `interval` s until it returns something true `hold` times in a row; return that.

    A poll waits at least twice as long as its condition took (DUTY): a read of a cluster on a busy machine
    takes seconds, and polling back to back would spend the machine on reading what it is waiting for.
    `progress()` says what is still missing; it is shown on `step` (a ui.step) while waiting and ends the
    error message when the deadline passes.
    """
    held = [0]
    took = [0.0]

    def check():
        started = time.monotonic()
        value = condition()
        took[0] = time.monotonic() - started
        held[0] = held[0] + 1 if value else 0
        if step is not None and progress is not None and held[0] < hold:
            step.update(progress())
        return value if held[0] >= hold else None

    retrying = Retrying(
        stop=stop_after_delay(timeout),
        wait=lambda _: max(interval, took[0] * (1 / DUTY - 1)) * PACE,
        retry=retry_if_result(lambda value: value is None),
    )
    try:
        return retrying(check)
    except RetryError:
        detail = progress() if progress is not None else ""
        raise error(f"{what}: not within {timeout:g} s" + (f" ({detail})" if detail else "")) from None
