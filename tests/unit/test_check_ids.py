"""The checks' ids are the keys of everything graded: rubrics, gradebooks, LMS imports and JUnit of earlier classes.

IDS (tests/expectations.py) is the list the checks had before their registry replaced pytest as their engine,
with the one check added since (the overlay's overlap, which a rubric of an earlier class gives no points). A
renamed check would silently drop its points from every rubric written for it, so a change there is a change of
the course.
"""

import xml.etree.ElementTree as ET

from swarmlab.checking.reports import JunitReport
from swarmlab.checks import known_checks, run_checks
from swarmlab.transport.factory import replayed

from ..conftest import RECORDINGS
from ..expectations import IDS

PART_1 = ("init", "join", "network", "sync", "stacks", "vip", "connectivity", "pages", "teardown")


def test_every_check_keeps_its_stage_and_id_in_the_lessons_order():
    assert known_checks() == IDS


def test_part_1_is_checked_by_its_stages_only():
    assert known_checks(1) == {stage: IDS[stage] for stage in PART_1}


def test_junit_names_each_check_by_its_stage_and_id():
    with replayed(RECORDINGS / "healthy.28.5.json.gz") as cluster:
        results = run_checks(cluster, None, "en", 1)
    cases = ET.fromstring(JunitReport().render(results, "lab").split("\n", 1)[1]).iter("testcase")
    assert [(c.get("classname"), c.get("name")) for c in cases] == [
        (f"lab.{stage}", check) for stage in PART_1 if stage != "teardown" for check in IDS[stage]
    ]
