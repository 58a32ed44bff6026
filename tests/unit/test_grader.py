"""The grader's own promises, without a cluster: a student stuck past the deadline is stopped and scored 0
with the reason, and the rest of the class is graded as usual; Ctrl-C stops a watched class at once and leaves
no grading process behind."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from swarmlab.grading import grader, rubric
from swarmlab.grading.roster import Roster, Student
from swarmlab.secrets import Masker

ROOT = Path(__file__).resolve().parents[2]


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


WATCH_STUCK_CLASS = r"""
import os
import threading
from pathlib import Path

from swarmlab.grading import grader
from swarmlab.grading.classroom import Classroom
from swarmlab.grading.roster import Roster, Student
from tests.unit.test_grader import plan


def grade_student(student, plan, deadline):
    os.write(1, f"grading {student.id}\n".encode())
    threading.Event().wait()


grader.grade_student = grade_student
students = tuple(Student(sid, sid, "10.0.0.1", "root", 22, Path("/k")) for sid in ("ann", "bob", "cid"))
rounds = Classroom(Roster(Path("class.csv"), students), plan(timeout=600), jobs=3).watch(1, print)
print("stopped after", rounds, flush=True)
"""


def test_ctrl_c_in_the_middle_of_a_watched_round_stops_the_grader_and_every_grading_process():
    """The processes a round forks hold the terminal's output too: one left behind keeps a pipe open after the
    grader is gone (the watch test's hang in CI), and keeps grading for nobody."""
    proc = subprocess.Popen(
        [sys.executable, "-c", WATCH_STUCK_CLASS],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its session holds the grader and every process it forks
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    assert proc.stdout is not None
    started = [proc.stdout.readline() for _ in range(3)]
    assert sorted(started) == ["grading ann\n", "grading bob\n", "grading cid\n"]
    proc.send_signal(signal.SIGINT)
    try:
        out, _ = proc.communicate(timeout=60)  # returns once no process holds the pipe
    finally:
        left = session_members(proc.pid)
        for pid in left:
            os.kill(pid, signal.SIGKILL)
    assert (proc.returncode, out) == (0, "stopped after 0\n")
    assert left == []


def session_members(sid: int) -> list:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[3]) == sid and fields[0] != "Z":
            found.append(int(stat.parent.name))
    return found
