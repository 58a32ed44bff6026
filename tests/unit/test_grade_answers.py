"""`swarmlab grade --answers`: each student's answers judged against that student's own cluster, without Docker
(the clusters are recordings): scored where the rubric gives questions points, an answer copied from a classmate
wrong and named, a file that is no answer file refused for that student alone."""

import csv
import io
import json
from pathlib import Path
from types import SimpleNamespace

import pytest

from swarmlab.errors import RubricError, UsageError
from swarmlab.frontends.cli.grade import answers_of
from swarmlab.grading import gradebook, grader, rubric
from swarmlab.grading.classroom import Classroom
from swarmlab.grading.roster import Roster, Student
from swarmlab.lesson.spec import reader
from swarmlab.secrets import Masker
from swarmlab.transport.factory import replayed

from ..conftest import RECORDINGS

CLUSTERS = {"10.9.0.1": "healthy.26.1", "10.9.0.2": "vip-mode.26.1", "10.9.0.3": "healthy.20.10"}


def seen(state: str) -> dict:
    with replayed(RECORDINGS / f"{state}.json.gz") as cluster:
        view = reader(cluster).manager()
        return {"manager_id": view.me.id, "cluster": view.info.cluster_id}


def visit(student, plan, deadline=None):
    cluster = replayed(RECORDINGS / f"{CLUSTERS[student.manager]}.json.gz")
    return grader.Visit(cluster, reader(cluster))


def rubric_with(tmp_path, questions="questions: 20\n") -> rubric.Rubric:
    path = tmp_path / "rubric.yaml"
    path.write_text(f"version: 1\npart: 1\nstages:\n  init: 10\n{questions}")
    return rubric.load(path)


def graded(tmp_path, monkeypatch, files: dict, book_rubric=None, answers_path=None):
    monkeypatch.setattr(grader, "visit", visit)
    folder = tmp_path / "answers"
    folder.mkdir(exist_ok=True)
    for sid, content in files.items():
        (folder / f"{sid}.json").write_text(content if isinstance(content, str) else json.dumps(content))
    book_rubric = book_rubric or rubric_with(tmp_path)
    plan = grader.Plan(
        stages=tuple(book_rubric.points),
        rubric=book_rubric,
        lang="en",
        timeout=120,
        known_hosts=Path("/nonexistent"),
        accept_new_host_keys=False,
        mask=Masker(),
        answers=answers_path or folder,
    )
    students = tuple(Student(sid, sid, address, "root", 22, Path("/k")) for sid, address in STUDENTS.items())
    return Classroom(Roster(tmp_path / "class.csv", students), plan, jobs=3).grade()


STUDENTS = {"ann": "10.9.0.1", "bob": "10.9.0.2", "cid": "10.9.0.3"}


def answered(values: dict, cluster: str) -> dict:
    return {"version": 1, "answers": {q: {"value": v, "cluster": cluster} for q, v in values.items()}}


def by_id(book) -> dict:
    return {g.id: g for g in book.grades}


def test_each_students_answers_are_judged_against_their_own_cluster_and_scored(tmp_path, monkeypatch):
    ann, bob = seen("healthy.26.1"), seen("vip-mode.26.1")
    book = graded(
        tmp_path,
        monkeypatch,
        {
            "ann": answered({"manager_id": ann["manager_id"], "db_node": "manager"}, ann["cluster"]),
            "bob": answered({"manager_id": bob["manager_id"][:12], "db_node": "worker-1"}, bob["cluster"]),
        },
    )
    grades = by_id(book)
    outcomes = {sid: {v.id: v.outcome for v in g.answers} for sid, g in grades.items()}
    assert outcomes["ann"]["manager_id"] == outcomes["ann"]["db_node"] == "right"
    assert outcomes["ann"]["vip"] == "not_applicable" and outcomes["ann"]["container_ip"] == "unanswered"
    assert (outcomes["bob"]["manager_id"], outcomes["bob"]["db_node"]) == ("near", "right")
    assert set(outcomes["cid"].values()) <= {"unanswered", "not_applicable"}
    worth = book.questions
    assert sum(worth.values()) == pytest.approx(20)
    assert grades["ann"].answered == pytest.approx(worth["manager_id"] + worth["db_node"] + worth["vip"])
    assert grades["bob"].answered == pytest.approx(worth["manager_id"] / 2 + worth["db_node"])
    assert book.total_max == pytest.approx(30)
    assert grades["ann"].total == pytest.approx(10 + grades["ann"].answered)
    assert all(not g.integrity for g in grades.values())


def test_an_answer_copied_from_a_classmate_is_wrong_here_and_named_as_theirs(tmp_path, monkeypatch):
    ann, bob = seen("healthy.26.1"), seen("vip-mode.26.1")
    book = graded(
        tmp_path,
        monkeypatch,
        {
            "ann": answered({"manager_id": ann["manager_id"]}, ann["cluster"]),
            "bob": answered({"manager_id": ann["manager_id"]}, bob["cluster"]),
        },
    )
    grades = by_id(book)
    assert next(v for v in grades["bob"].answers if v.id == "manager_id").outcome == "wrong"
    assert {"with": "ann", "shared": "answer", "value": "manager_id"} in grades["bob"].integrity
    assert not [f for f in grades["ann"].integrity if f["shared"] == "answer"]
    said = [gradebook.said(item, "en") for item in grades["bob"].integrity]
    assert "the answer to manager_id is right for ann's cluster, not for this one" in said


def test_an_answer_file_kept_on_a_classmates_swarm_is_judged_here_and_named_as_given_there(tmp_path, monkeypatch):
    ann = seen("healthy.26.1")
    book = graded(tmp_path, monkeypatch, {"bob": answered({"manager_id": ann["manager_id"]}, ann["cluster"])})
    bob = by_id(book)["bob"]
    assert bob.answered_on == (ann["cluster"],)
    assert {"with": "ann", "shared": "answers_from", "value": ann["cluster"]} in bob.integrity
    assert "answers given on ann's swarm" in [gradebook.said(item, "en") for item in bob.integrity]


def test_an_answer_file_kept_on_a_swarm_nobody_in_the_class_has_is_named_by_its_cluster_id(tmp_path, monkeypatch):
    book = graded(tmp_path, monkeypatch, {"ann": answered({"db_node": "manager"}, "zzzzzzzzzzzzzzzzzzzzzzzzz")})
    flags = [gradebook.said(item, "ru") for item in by_id(book)["ann"].integrity]
    assert flags == ["ответы даны на другом кластере (ID zzzzzzzzzzzz), а не на этом"]


def test_a_file_that_is_no_answer_file_is_refused_for_that_student_and_the_class_is_graded(tmp_path, monkeypatch):
    ann = seen("healthy.26.1")
    book = graded(
        tmp_path,
        monkeypatch,
        {"ann": answered({"manager_id": ann["manager_id"]}, ann["cluster"]), "bob": "[" * 10},
    )
    grades = by_id(book)
    assert grades["bob"].answers_refused.endswith(
        "not an answer file (JSONDecodeError): fix it or remove it (swarmlab answer writes it)"
    )
    assert grades["bob"].reason is None and grades["bob"].results
    assert next(v for v in grades["ann"].answers if v.id == "manager_id").outcome == "right"


def test_the_gradebook_shows_the_answers_beside_the_checks(tmp_path, monkeypatch):
    ann = seen("healthy.26.1")
    given = {"manager_id": "=cmd|' /C calc'!A0", "db_node": "<script>alert(1)</script>"}
    book = graded(tmp_path, monkeypatch, {"ann": answered(given, ann["cluster"])})
    rows = list(csv.reader(io.StringIO(gradebook.csv_text(book))))
    assert rows[0] == ["id", "name", "total", "init", "questions", "status"]
    data = gradebook.json_data(book)
    ann_row = next(s for s in data["students"] if s["id"] == "ann")
    manager = next(q for q in ann_row["answers"]["questions"] if q["id"] == "manager_id")
    assert (manager["outcome"], manager["points"], manager["given"]) == ("wrong", 0, "=cmd|' /C calc'!A0")
    assert data["max"]["questions"] == pytest.approx(20)
    assert all(not cell.startswith("=") for row in rows for cell in row)
    page = gradebook.html_text(book)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>" not in page
    assert "<th>questions<small>20</small></th>" in page


def test_answers_earn_nothing_where_the_rubric_gives_questions_no_points(tmp_path, monkeypatch):
    ann = seen("healthy.26.1")
    plain = rubric_with(tmp_path, questions="")
    book = graded(tmp_path, monkeypatch, {"ann": answered({"manager_id": ann["manager_id"]}, ann["cluster"])}, plain)
    ann_grade = by_id(book)["ann"]
    assert ann_grade.answered == 0 and book.total_max == pytest.approx(10)
    assert next(v for v in ann_grade.answers if v.id == "manager_id").outcome == "right"


def test_a_rubric_names_its_questions_points_and_is_refused_for_a_question_the_part_does_not_ask(tmp_path):
    book = rubric_with(tmp_path, questions="questions:\n  vip: 5\n  manager_id: 3\n")
    assert book.questions == {"vip": 5.0, "manager_id": 3.0}
    with pytest.raises(RubricError, match=r"line 7, field questions.gateway_nodes: part 1 asks no such question"):
        rubric_with(tmp_path, questions="questions:\n  vip: 5\n  gateway_nodes: 3\n")
    total = tmp_path / "total.yaml"
    total.write_text("version: 1\ntotal: 15\nstages:\n  init: 10\nquestions: 4\n")
    with pytest.raises(RubricError, match="add up to 14, not 15"):
        rubric.load(total)


def test_one_answer_file_is_taken_only_for_a_roster_of_one(tmp_path):
    one = tmp_path / "answers.json"
    one.write_text("{}")
    student = Student("ann", "ann", "10.9.0.1", "root", 22, Path("/k"))
    assert answers_of(SimpleNamespace(answers=str(one)), Roster(tmp_path, (student,))) == one.absolute()
    with pytest.raises(UsageError, match="one answer file, and the roster has 2 students"):
        answers_of(SimpleNamespace(answers=str(one)), Roster(tmp_path, (student, student)))
    with pytest.raises(UsageError, match="no such folder or file"):
        answers_of(SimpleNamespace(answers=str(tmp_path / "none")), Roster(tmp_path, (student,)))
