"""The checks on a healthy lab: everything passes, the same way twice, and nothing is changed."""

import json
import xml.etree.ElementTree as ET

import pytest

from labs import swarm
from labs.checking import DEFAULT_STAGES, STAGES

from .conftest import assert_one_clear_line, swarmlab
from .readonly import assert_read_only

pytestmark = pytest.mark.lab

@pytest.fixture(scope="module")
def healthy(lab, lesson_run, tmp_path_factory):
    out = tmp_path_factory.mktemp("check")
    done = swarmlab("check", "--lab", lab.name, "--lang", "en", "--json", str(out / "first.json"),
                    "--junit", str(out / "first.xml"), "--record-commands", str(out / "commands.jsonl"))
    return done, out


def test_every_stage_passes_on_the_lab_after_the_lesson(healthy):
    done, out = healthy
    assert done.returncode == 0, done.stdout
    report = json.loads((out / "first.json").read_text())
    assert {c["stage"] for c in report["checks"]} == set(DEFAULT_STAGES)
    assert all(c["outcome"] == "passed" for c in report["checks"]), done.stdout
    assert report["summary"] == {"passed": len(report["checks"]), "failed": 0, "blocked": 0}
    assert set(report["checks"][0]) >= {"stage", "id", "outcome", "message", "hint"}


def test_a_second_run_gives_the_same_result(lab, healthy):
    _, out = healthy
    done = swarmlab("check", "--lab", lab.name, "--lang", "en", "--json", str(out / "second.json"))
    assert done.returncode == 0
    first, second = (json.loads((out / f"{n}.json").read_text())["checks"] for n in ("first", "second"))
    assert [(c["stage"], c["id"], c["outcome"]) for c in first] == [(c["stage"], c["id"], c["outcome"]) for c in second]


def test_the_checks_run_only_read_only_commands(healthy):
    _, out = healthy
    recorded = [json.loads(line) for line in (out / "commands.jsonl").read_text().splitlines()]
    assert len(recorded) >= 4
    for entry in recorded:
        assert_read_only(entry["command"])


def test_the_batched_reads_use_only_read_only_docker_verbs():
    for script in (swarm.MANAGER_READ, swarm.NODE_READ):
        assert_read_only(script)


def test_the_allowlist_refuses_commands_that_change_a_cluster():
    for command in ("docker service scale core_php-fpm=5", "docker node update --availability drain worker-1",
                    "docker exec abc rm -rf /", "docker exec abc sh -c 'getent hosts x; rm -rf /'",
                    "docker stack rm edge", "docker volume rm storage_db_volume"):
        with pytest.raises(AssertionError):
            assert_read_only(command)


def test_checking_changes_nothing_on_the_cluster(lab, lesson_run, cluster):
    before = swarm.read_manager(cluster)
    assert swarmlab("check", "--lab", lab.name).returncode == 0
    after = swarm.read_manager(cluster)
    assert {s.id: s for s in after.services} == {s.id: s for s in before.services}
    assert {t.id for t in after.tasks} == {t.id for t in before.tasks}
    assert after.nodes == before.nodes


def test_junit_has_one_testcase_per_check(healthy):
    _, out = healthy
    cases = ET.parse(out / "first.xml").getroot().iter("testcase")
    report = json.loads((out / "first.json").read_text())
    assert len(list(cases)) == len(report["checks"])


def test_a_stage_can_be_checked_alone(lab, lesson_run, tmp_path):
    done = swarmlab("check", "--lab", lab.name, "--stage", "network", "--json", str(tmp_path / "r.json"))
    assert done.returncode == 0
    assert {c["stage"] for c in json.loads((tmp_path / "r.json").read_text())["checks"]} == {"network"}


def test_plain_pytest_selects_a_stage_by_marker(lab, lesson_run):
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    done = subprocess.run([sys.executable, "-m", "pytest", "checks", "-m", "network", "-q", "-p", "no:cacheprovider",
                           "--inventory", str(lab.inventory_path)], cwd=root, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout
    assert "3 passed" in done.stdout


def test_an_unknown_stage_is_a_usage_error():
    assert_one_clear_line(swarmlab("check", "--stage", "deploy"), 2, "invalid choice")


def test_teardown_is_checked_only_on_request():
    assert "teardown" in STAGES and "teardown" not in DEFAULT_STAGES
