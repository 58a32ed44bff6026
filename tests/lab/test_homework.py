"""The homework: the lesson's stacks on a swarm of one node, part 1 and then part 2, run and checked as a
student would, with `swarmlab lesson run` and `swarmlab check`; and, with the suite's 3-node lab beside it, the
lesson's answers carried from one swarm to another.

The checks that need two nodes (workers answering, the cross-node pings, the
same posts on every node, hostnames from several nodes) say they do not apply
to one node; they neither fail nor block.
"""

import json

import pytest

from swarmlab.lesson.spec import LESSON_LABELS
from swarmlab.transport import inventory

from ..conftest import swarmlab
from .conftest import fresh_lab

pytestmark = pytest.mark.lab
NEEDS_TWO_NODES = {
    ("join", "every_worker_answers_with_docker"),
    ("connectivity", "each_gateway_pings_php_fpm_on_another_node"),
    ("connectivity", "large_packets_cross_between_nodes"),
    ("pages", "every_node_shows_the_same_posts"),
    ("pages", "php_fpm_hostnames_from_several_nodes_appear"),
}


@pytest.fixture(scope="module")
def one_node(docker_client):
    with fresh_lab(docker_client, "swarmlab-test-1node", 1) as lab:
        yield lab


def checked(lab, tmp_path, part: int) -> dict:
    report = tmp_path / f"part{part}.json"
    done = swarmlab("check", "--lab", lab.name, "--part", str(part), "--lang", "en", "--json", str(report))
    assert done.returncode == 0, done.stdout + done.stderr
    return {(r["stage"], r["id"]): r for r in json.loads(report.read_text())["checks"]}


def test_part_1_on_one_node_converges_and_every_check_passes_or_does_not_apply(one_node, tmp_path):
    done = swarmlab("lesson", "run", "--lab", one_node.name, timeout=900)
    assert done.returncode == 0, done.stdout + done.stderr
    results = checked(one_node, tmp_path, 1)
    assert {k for k, r in results.items() if r["outcome"] == "not_applicable"} == NEEDS_TWO_NODES
    assert all(r["outcome"] == "passed" for k, r in results.items() if k not in NEEDS_TWO_NODES)
    assert all("one-node cluster" in results[k]["message"] for k in NEEDS_TWO_NODES)


def test_part_2_on_one_node_puts_every_label_on_it_and_every_check_passes_or_does_not_apply(one_node, tmp_path):
    done = swarmlab("lesson", "run", "--part", "2", "--lab", one_node.name, timeout=900)
    assert done.returncode == 0, done.stdout + done.stderr
    labels = swarmlab(
        "lab",
        "ssh",
        "--lab",
        one_node.name,
        "manager",
        "--",
        "docker node inspect manager --format '{{json .Spec.Labels}}'",
    )
    assert json.loads(labels.stdout) == {label: "true" for label in LESSON_LABELS}
    results = checked(one_node, tmp_path, 2)
    assert {k for k, r in results.items() if r["outcome"] == "not_applicable"} == NEEDS_TWO_NODES
    assert all(r["outcome"] == "passed" for k, r in results.items() if k not in NEEDS_TWO_NODES)
    assert {
        ("panel", "the_panel_answers_https_on_9443"),
        ("placement", "php_fpm_runs_four_tasks_on_the_fpm_nodes"),
        ("labels", "every_node_carries_the_lessons_labels"),
    } <= set(results)


def test_answers_right_on_the_lab_they_were_read_from_are_wrong_on_another_and_named_as_its(
    lab, lesson_run, one_node, tmp_path
):
    """The notebooks' answer cells as a student gives them, `swarmlab answer` on their own lab; handed in with
    another student's cluster, the same answers are wrong there, and the grader names the swarm they were given on."""
    answers = tmp_path / "answers.json"
    own = swarmlab("lab", "ssh", "--lab", lab.name, "manager", "--", "docker info --format '{{.Swarm.NodeID}}'")
    for question, value in (("manager_id", own.stdout.strip()), ("db_node", db_node(lab))):
        done = swarmlab("answer", question, value, "--lab", lab.name, "--answers", str(answers), "--lang", "en")
        assert done.returncode == 0, done.stdout + done.stderr
    kept = json.loads(answers.read_text())["answers"]
    given_on = {entry["cluster"] for entry in kept.values()}
    roster = tmp_path / "class.yaml"
    roster.write_text(
        f"students:\n  - {{id: s1, name: Ann, manager: {inventory.load(one_node.inventory_path).manager.address}, "
        f"user: root, port: 22, key: {one_node.key_path}, known_hosts: {one_node.known_hosts_path}}}\n"
    )
    out = tmp_path / "book"
    done = swarmlab("grade", str(roster), "--out", str(out), "--answers", str(answers), "--lang", "en", "-q")
    assert done.returncode == 0, done.stdout + done.stderr
    (student,) = json.loads((out / "gradebook.json").read_text())["students"]
    outcomes = {v["id"]: v["outcome"] for v in student["answers"]["questions"]}
    assert outcomes["manager_id"] == "wrong", student["answers"]
    assert [(i["shared"], i["value"]) for i in student["integrity"]] == [("answers_elsewhere", c) for c in given_on]


def db_node(lab) -> str:
    found = swarmlab(
        "lab",
        "ssh",
        "--lab",
        lab.name,
        "manager",
        "--",
        "docker service ps storage_db --filter desired-state=running --format '{{.Node}}'",
    )
    return found.stdout.strip()
