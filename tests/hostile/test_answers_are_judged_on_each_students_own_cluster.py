"""Students who copy answers or write their answer file by hand: the real `swarmlab grade --answers` over SSH judges
each file against its own student's cluster, names a copy for whose cluster it is right, and refuses a forged file
for that student alone without letting its text act on the instructor's terminal."""

import json

from swarmlab.lesson.spec import reader
from swarmlab.transport.factory import replayed

from ..conftest import swarmlab
from .conftest import HEALTHY


def seen(recording) -> dict:
    with replayed(recording) as cluster:
        view = reader(cluster).manager()
        return {"manager_id": view.me.id, "cluster": view.info.cluster_id}


def handed_in(folder, student, values: dict, cluster: str) -> None:
    answers = {q: {"value": v, "cluster": cluster} for q, v in values.items()}
    (folder / f"{student.id}.json").write_text(json.dumps({"version": 1, "answers": answers}))


def test_a_copied_answer_is_wrong_on_the_copiers_cluster_and_named_as_the_others(
    students, healthy, another_healthy, tmp_path
):
    first, copier, forger = students.add(healthy), students.add(another_healthy), students.add(another_healthy)
    theirs = seen(HEALTHY)
    folder = tmp_path / "answers"
    folder.mkdir()
    handed_in(folder, first, {"manager_id": theirs["manager_id"], "db_node": "manager"}, theirs["cluster"])
    handed_in(folder, copier, {"manager_id": theirs["manager_id"]}, theirs["cluster"])
    (folder / f"{forger.id}.json").write_text('{"version": 1, "answers": {"\\u001b]0;pwned\\u0007": {"value": 1}}}')
    rubric = tmp_path / "rubric.yaml"
    rubric.write_text("version: 1\nstages:\n  init: 10\nquestions: 10\n")
    out = tmp_path / "book"
    done = swarmlab(
        "grade",
        str(students.roster(first, copier, forger)),
        "--out",
        str(out),
        "--known-hosts",
        str(students.known_hosts),
        "--lang",
        "en",
        "--rubric",
        str(rubric),
        "--answers",
        str(folder),
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "\x1b" not in done.stdout + done.stderr and "\x07" not in done.stdout + done.stderr
    book = {s["id"]: s for s in json.loads((out / "gradebook.json").read_text())["students"]}
    outcome = {sid: {q["id"]: q["outcome"] for q in s["answers"]["questions"]} for sid, s in book.items()}
    assert outcome[first.id]["manager_id"] == outcome[first.id]["db_node"] == "right"
    assert outcome[copier.id]["manager_id"] == "wrong"
    shared = {(i["shared"], i["with"]) for i in book[copier.id]["integrity"]}
    assert {("answer", first.id), ("answers_from", first.id)} <= shared
    assert not [i for i in book[first.id]["integrity"] if i["shared"].startswith("answer")]
    assert book[forger.id]["answers"]["refused"].endswith(
        "is not a question (known: manager_id, db_node, vip, "
        "ping_php_fpm, container_ip, php_fpm_hostnames, "
        "gateway_nodes, php_fpm_nodes): fix it or remove it "
        "(swarmlab answer writes it)"
    )
    assert f"{forger.id}: answers not taken" in done.stdout + done.stderr
    assert book[first.id]["answers"]["points"] > book[copier.id]["answers"]["points"]
