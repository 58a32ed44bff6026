"""A class graded once or round after round: what `swarmlab grade`, `grade --watch` and the class board share.

One Classroom is a roster and the plan it is graded by; `grade` grades everyone once, `book` makes the gradebook
of a round, `board` the class board's data while a round is under way (a student not yet graded in this round
keeps the last round's grade, marked stale), and `watch` grades round after round until Ctrl-C.
"""

import time
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from typing import Callable, Optional

from . import gradebook, grader, integrity
from .roster import Roster, Student


@dataclass
class Classroom:
    kind = "class"  # what the class board shows (the dashboard's page for a class)

    roster: Roster
    plan: grader.Plan
    jobs: int
    earlier: tuple = ()  # (label, identity) of a class graded before: a cluster handed in again is flagged
    last: dict = field(default_factory=dict)  # {student id: Grade} of the last finished round

    def grade(self, on_grade: Optional[Callable] = None) -> gradebook.Gradebook:
        grades = grader.grade(self.roster, self.plan, self.jobs, on_grade=on_grade)
        shared = integrity.flags({g.id: g.identity for g in grades if g.reason is None}, self.earlier)
        answered = integrity.answer_flags([g for g in grades if g.reason is None])
        grades = [replace(g, integrity=tuple(shared.get(g.id, [])) + tuple(answered.get(g.id, []))) for g in grades]
        self.last = {g.id: g for g in grades}
        return self.book(grades)

    def __call__(self, progress=None) -> dict:
        """One round for the class board: partial boards to `progress` as students are graded, then the whole."""
        done: dict = {}

        def graded(grade):
            done[grade.id] = grade
            if progress is not None:
                progress(self.board(done))

        if progress is not None:
            progress(self.board(done))
        self.grade(on_grade=graded)
        return self.board(done)

    def book(self, grades) -> gradebook.Gradebook:
        rubric = self.plan.rubric
        return gradebook.Gradebook(
            grades=tuple(grades),
            stages=self.plan.stages,
            points={s: rubric.points[s] for s in self.plan.stages},
            roster=str(self.roster.path),
            rubric=str(rubric.path),
            lang=self.plan.lang,
            graded_at=datetime.now(timezone.utc).isoformat(timespec="seconds"),
            questions=dict(rubric.questions),
        )

    def board(self, done: dict) -> dict:
        """The gradebook's own data; a student not yet graded in this round keeps the last round's grade,
        marked stale (or waiting, before the first round ends)."""
        grades, fresh = [], set()
        for student in self.roster.students:
            grade = done.get(student.id) or self.last.get(student.id) or self._waiting(student)
            grades.append(grade)
            if student.id in done:
                fresh.add(student.id)
        data = gradebook.json_data(self.book(grades))
        for row in data["students"]:
            row["fresh"] = row["id"] in fresh
            row["waiting"] = row["id"] not in fresh and row["id"] not in self.last
        count = len(self.roster.students)
        data.update(
            kind="class",
            title=self.roster.path.name,
            part=self.plan.rubric.part,
            progress={"done": len(fresh), "count": count, "grading": len(fresh) < count},
        )
        return data

    def _waiting(self, student: Student) -> gradebook.Grade:
        return gradebook.Grade(
            id=student.id,
            name=student.name,
            manager=student.manager,
            user=student.user,
            results=(),
            earned=dict.fromkeys(self.plan.stages, 0.0),
            status="",
            reason="waiting",
            seconds=0.0,
            student=student,
        )

    def watch(self, interval: float, after_round: Callable[[gradebook.Gradebook, int, float], None]) -> int:
        """Grade round after round, `interval` seconds from one round's start to the next, handing each round's
        book to `after_round` (which writes and shows it); Ctrl-C stops. The number of rounds finished."""
        rounds = 0
        try:
            while True:
                started = time.monotonic()
                book = self.grade()
                rounds += 1
                after_round(book, rounds, time.monotonic() - started)
                time.sleep(max(0.0, interval - (time.monotonic() - started)))
        except KeyboardInterrupt:
            return rounds
