"""The checks on a healthy lab: everything passes, the same way twice, in one language at a time, through
the CLI and plain pytest alike, and nothing is changed."""

import json
import subprocess
import sys
import xml.etree.ElementTree as ET

import pytest

from swarmlab.checks import known_checks, run_checks
from swarmlab.lesson.spec import LESSON_DIR, PART_STAGES
from swarmlab.state import reads, templates
from swarmlab.state.templates import matched
from swarmlab.transport.base import Node

from ..conftest import ROOT, assert_one_clear_line, swarmlab

pytestmark = pytest.mark.lab
CYRILLIC = set("абвгдеёжзийклмнопрстуфхцчшщъыьэюя")


@pytest.fixture(scope="module")
def healthy(lab, lesson_run, tmp_path_factory):
    out = tmp_path_factory.mktemp("check")
    done = swarmlab(
        "check",
        "--lab",
        lab.name,
        "--lang",
        "en",
        "--json",
        str(out / "first.json"),
        "--junit",
        str(out / "first.xml"),
        "--record-commands",
        str(out / "commands.jsonl"),
    )
    return done, out


def test_every_stage_passes_on_the_lab_after_the_lesson(healthy):
    done, out = healthy
    assert done.returncode == 0, done.stdout
    report = json.loads((out / "first.json").read_text())
    assert {c["stage"] for c in report["checks"]} == set(PART_STAGES[1])
    assert all(c["outcome"] == "passed" for c in report["checks"]), done.stdout
    assert report["summary"]["passed"] == len(report["checks"])
    assert set(report["checks"][0]) >= {"stage", "id", "outcome", "message", "hint", "title", "key"}


def test_a_second_run_gives_the_same_result(lab, healthy):
    _, out = healthy
    done = swarmlab("check", "--lab", lab.name, "--lang", "en", "--json", str(out / "second.json"))
    assert done.returncode == 0
    first, second = (json.loads((out / f"{n}.json").read_text())["checks"] for n in ("first", "second"))
    assert [(c["stage"], c["id"], c["outcome"]) for c in first] == [(c["stage"], c["id"], c["outcome"]) for c in second]


def test_every_command_the_checks_ran_is_a_read(healthy):
    _, out = healthy
    recorded = [json.loads(line) for line in (out / "commands.jsonl").read_text().splitlines()]
    assert len(recorded) >= 7  # the manager, three nodes, three probes
    assert [entry["command"][:60] for entry in recorded if matched(entry["command"]) is None] == []


def test_checking_changes_nothing_on_the_cluster(lab, lesson_run, cluster):
    before = reads.read_manager(cluster)
    assert swarmlab("check", "--lab", lab.name).returncode == 0
    after = reads.read_manager(cluster)
    assert {s.id: s.raw["Version"] for s in after.services} == {s.id: s.raw["Version"] for s in before.services}
    assert {t.id for t in after.tasks} == {t.id for t in before.tasks}
    assert [(n.id, n.state, n.availability, n.labels) for n in after.nodes] == [
        (n.id, n.state, n.availability, n.labels) for n in before.nodes
    ]


def test_junit_has_one_testcase_per_check(healthy):
    _, out = healthy
    cases = ET.parse(out / "first.xml").getroot().iter("testcase")
    report = json.loads((out / "first.json").read_text())
    assert len(list(cases)) == len(report["checks"])


def test_the_russian_report_has_no_english_word_of_its_own(lab, lesson_run):
    done = swarmlab("check", "--lab", lab.name)
    assert done.returncode == 0
    table = done.stdout.split("\n", 1)[1]
    for english in ("passed", "failed", "blocked", "stage ", "outcome", "what is wrong", "answers with"):
        assert english not in table, english
    assert CYRILLIC & set(table)


def test_a_stage_can_be_checked_alone(lab, lesson_run, tmp_path):
    done = swarmlab("check", "--lab", lab.name, "--stage", "network", "--json", str(tmp_path / "r.json"))
    assert done.returncode == 0
    assert {c["stage"] for c in json.loads((tmp_path / "r.json").read_text())["checks"]} == {"network"}


def plain_pytest(lab, cwd, *args):
    """pytest as a user runs it on the lab, with the checks' plugin and the lab's inventory."""
    command = [sys.executable, "-m", "pytest", *args, "-q", "-p", "no:cacheprovider", "--inventory"]
    done = subprocess.run([*command, str(lab.inventory_path)], cwd=cwd, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout
    return done.stdout


@pytest.mark.one_engine
def test_plain_pytest_runs_the_installed_checks_by_stage_from_any_folder(lab, lesson_run, tmp_path):
    said = plain_pytest(lab, tmp_path, "--pyargs", "swarmlab.checks", "-m", "network")
    assert "4 passed" in said  # the network stage's four checks


@pytest.mark.one_engine
def test_pytest_in_a_checkout_runs_the_lessons_check_suites_from_checks(lab, lesson_run):
    said = plain_pytest(lab, ROOT, "checks/")
    part_1 = sum(len(ids) for stage, ids in known_checks(1).items() if stage != "teardown")
    assert f"{part_1} passed" in said, said  # teardown only on request, part 2's stages deselected


def test_a_stage_of_another_part_is_a_usage_error():
    assert_one_clear_line(swarmlab("check", "--stage", "labels", "--part", "1"), 2, "not a stage of part 1")


def test_teardown_is_checked_only_on_request():
    assert "teardown" not in PART_STAGES[1] and "teardown" not in PART_STAGES[2]


class AskingTheCli(Node):
    """A node that receives each read with an Engine API path in its CLI form: what a node without python3 runs."""

    def __init__(self, inner: Node):
        self.inner, self.name = inner, inner.name

    def _exec(self, command, on_out, on_err, timeout, stdin) -> int:
        return self.inner._exec(templates.cli_form(command) or command, on_out, on_err, timeout, stdin)

    def address(self):
        return self.inner.address()


MOMENTARY = {"SystemTime", "NGoroutines", "NFd", "NEventsListener", "ClientInfo", "BuildTime", "Log", "ExecIDs"}


def comparable(raw):
    """The raw answer without what changes from one moment to the next (a healthcheck's log and its exec in
    flight, the daemon's clock and goroutines) or comes in the daemon's map order (a container's mounts, an
    overlay's tasks), nor what only the CLI adds of itself (ClientInfo) or writes for people (a build time)."""
    if isinstance(raw, dict):
        return {key: comparable(value) for key, value in raw.items() if key not in MOMENTARY}
    if isinstance(raw, list):
        return sorted((comparable(item) for item in raw), key=lambda item: json.dumps(item, sort_keys=True))
    return raw


def answers(view) -> dict:
    """A view's models as comparable raw answers; volumes as what the model reads of either shape."""
    found = {"volumes": sorted((v.name, v.driver, v.labels) for v in view.volumes)}
    for name, value in vars(view).items():
        if name == "volumes":
            continue
        if isinstance(value, tuple) and value and hasattr(value[0], "raw"):
            found[name] = comparable([item.raw for item in value])
        elif hasattr(value, "raw"):
            found[name] = comparable(value.raw)
    return found


def test_the_engine_api_read_answers_as_the_docker_cli_it_stands_in_for(lab, lesson_run, cluster):
    """One python3 asking the engine's socket (templates.api_or) reads what the docker CLI reads, on each engine the
    lab offers, and the checks judge the two alike."""
    by_cli = cluster.wrapped(AskingTheCli)
    assert answers(reads.read_manager(cluster)) == answers(reads.read_manager(by_cli))
    assert {n: answers(v) for n, v in reads.read_nodes(cluster, LESSON_DIR).items()} == {
        n: answers(v) for n, v in reads.read_nodes(by_cli, LESSON_DIR).items()
    }
    judged = [[(r.stage, r.id, r.outcome, r.message) for r in run_checks(c, None, "en")] for c in (cluster, by_cli)]
    assert judged[0] == judged[1]
    assert all(outcome == "passed" for _, _, outcome, _ in judged[0])
