"""The grader's own promises, without a cluster: a student stuck past the deadline is stopped and scored 0
with the reason, and the rest of the class is graded as usual."""

import time
from pathlib import Path

from swarmlab.grading import grader, rubric
from swarmlab.grading.roster import Roster, Student
from swarmlab.secrets import Masker


def plan(timeout: float) -> grader.Plan:
    book = rubric.load(rubric.default(1))
    return grader.Plan(
        stages=tuple(book.points),
        rubric=book,
        lang="en",
        timeout=timeout,
        known_hosts=Path("/nonexistent"),
        accept_new_host_keys=False,
        mask=Masker(),
    )


def test_a_student_past_the_deadline_is_stopped_and_scores_0_and_the_others_are_graded(monkeypatch):
    def grade_student(student, plan, deadline):
        if student.id == "slow":
            time.sleep(60)
        return grader.unchecked(student, plan, None, "graded", time.monotonic())

    monkeypatch.setattr(grader, "grade_student", grade_student)
    students = tuple(Student(sid, sid, "10.0.0.1", "root", 22, Path("/k")) for sid in ("slow", "quick"))
    started = time.monotonic()
    grades = grader.grade(Roster(Path("class.csv"), students), plan(timeout=2), jobs=2)
    assert time.monotonic() - started < 30
    slow, quick = grades
    assert (slow.total, slow.reason, slow.status) == (0, "timeout", "not graded: the checks did not finish within 2 s")
    assert all(r.outcome == "blocked" for r in slow.results)
    assert (quick.reason, quick.status) == (None, "graded")
