"""Every check against every recorded cluster state, without Docker: the lesson's specification in seconds.

The recordings (tests/recordings, made on the lab by tests/lab/faults
with `make recordings`) hold what each node answered; the table in
tests/expectations.py says what every check must conclude from it.
"""

import pytest

from swarmlab.checks import run_checks
from swarmlab.errors import ReplayMiss, WriteRefused
from swarmlab.lesson.spec import reader
from swarmlab.transport.factory import replayed

from ..conftest import RECORDINGS
from ..expectations import EXPECTED, assert_outcomes

RECORDED = sorted(RECORDINGS.glob("*.json.gz"))


def state(path) -> str:
    return path.name.split(".")[0]


@pytest.mark.parametrize("path", RECORDED, ids=lambda p: p.name.removesuffix(".json.gz"))
def test_each_check_concludes_what_the_lesson_expects_of_the_recorded_state(path):
    expect = EXPECTED[state(path)]
    with replayed(path) as cluster:
        results = run_checks(cluster, expect.stages or None, "en", expect.part)
    assert_outcomes(results, expect)


def test_every_recording_has_its_expectations_and_every_expectation_its_recording():
    assert {state(path) for path in RECORDED} == set(EXPECTED)


def test_the_russian_report_of_a_recorded_state_is_russian_throughout():
    path = next(p for p in RECORDED if state(p) == "healthy")
    with replayed(path) as cluster:
        results = run_checks(cluster, None, "ru", 1)
    assert all(any("а" <= ch <= "я" for ch in r.title) for r in results), [r.title for r in results]


def test_a_check_given_a_replayed_node_cannot_run_a_write():
    path = next(p for p in RECORDED if state(p) == "healthy")
    with replayed(path) as cluster:
        read_side = reader(cluster)
        with pytest.raises(WriteRefused):
            read_side.cluster.manager.run("docker service scale %s", "core_php-fpm=0")
        with pytest.raises(ReplayMiss):
            cluster.manager.run("docker service scale %s", "core_php-fpm=0")
