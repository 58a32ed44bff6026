"""A graded class, and the files an instructor keeps or sends back: CSV, JSON, JUnit, one HTML page.

Everything here is already masked and scored (grader.py does that); this
module only renders. The HTML page inlines its styles and needs no script, so it
opens offline, from a mail attachment or a USB stick, exactly as it was written.
"""

import csv
import io
import json
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from jinja2 import Environment, PackageLoader

from .. import i18n, safe
from ..checking.reports import JunitReport
from ..checking.results import summary
from .rubric import EARNING, number


@dataclass(frozen=True)
class Grade:
    id: str
    name: str
    manager: str
    user: str
    results: tuple  # CheckResult, in stage order
    earned: dict  # {stage: points}
    status: str
    reason: Optional[str]  # why the checks could not run (refused, auth, timeout, ...); None when they ran
    seconds: float
    student: Optional[object] = None  # the roster's row, for the LMS exports
    identity: dict = field(default_factory=dict)  # the cluster's IDs and CA, the address it was reached at
    integrity: tuple = ()  # ({"with": another student's id, "shared": what}, ...): flagged, never zeroed
    answers: tuple = ()  # Verdict of each of the part's questions, judged against this cluster
    answered: float = 0.0  # the points the answers earned
    answers_refused: str = ""  # why the student's answer file was not taken (one line), if it was not
    answered_on: tuple = ()  # the cluster IDs the answer file says the answers were given on
    truths: dict = field(default_factory=dict)  # {question id: Truth} here: another student's answer held to it

    @property
    def total(self) -> float:
        return sum(self.earned.values()) + self.answered


@dataclass(frozen=True)
class Gradebook:
    grades: tuple
    stages: tuple
    points: dict  # {stage: {check id: points}}: the rubric, for the graded stages
    roster: str
    rubric: str
    lang: str
    graded_at: str
    questions: dict = field(default_factory=dict)  # {question id: points}: the rubric's, when answers count

    def stage_max(self, stage: str) -> float:
        return sum(self.points[stage].values())

    @property
    def total_max(self) -> float:
        return sum(self.stage_max(stage) for stage in self.stages) + sum(self.questions.values())

    @property
    def asks(self) -> bool:
        """Whether the lesson's questions are part of this book (answers handed in, or points for them)."""
        return bool(self.questions) or any(g.answers for g in self.grades)


def csv_text(book: Gradebook) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    asks = ["questions"] if book.asks else []
    writer.writerow(["id", "name", "total", *book.stages, *asks, "status"])
    for grade in book.grades:
        cells = [
            grade.id,
            grade.name,
            number(grade.total),
            *(number(grade.earned[s]) for s in book.stages),
            *([number(grade.answered)] if asks else []),
            grade.status,
        ]
        writer.writerow([safe.cell(cell) for cell in cells])
    return buffer.getvalue()


def json_data(book: Gradebook) -> dict:
    return {
        "roster": book.roster,
        "rubric": book.rubric,
        "graded_at": book.graded_at,
        "lang": book.lang,
        "stages": list(book.stages),
        "max": {
            "total": book.total_max,
            **{stage: book.stage_max(stage) for stage in book.stages},
            **({"questions": sum(book.questions.values())} if book.asks else {}),
        },
        "students": [
            {
                "id": g.id,
                "name": g.name,
                "manager": g.manager,
                "user": g.user,
                "total": round(g.total, 2),
                "stages": {stage: round(g.earned[stage], 2) for stage in book.stages},
                "status": g.status,
                "reason": g.reason,
                "seconds": round(g.seconds, 1),
                "summary": summary(g.results),
                "identity": g.identity,
                "integrity": list(g.integrity),
                "checks": [
                    {**r.as_dict(), "points": _worth(book, r) if r.outcome in EARNING else 0.0, "max": _worth(book, r)}
                    for r in g.results
                ],
                **({"answers": answers_data(book, g)} if book.asks else {}),
            }
            for g in book.grades
        ],
    }


def answers_data(book: Gradebook, grade: Grade) -> dict:
    worth = book.questions
    return {
        "points": round(grade.answered, 2),
        "refused": grade.answers_refused,
        "questions": [
            {**v.as_dict(), "points": round(worth.get(v.id, 0.0) * v.credit, 2), "max": worth.get(v.id, 0.0)}
            for v in grade.answers
        ],
    }


def said(item: dict, lang: str) -> str:
    """One integrity flag in words: what this cluster shares with whose."""
    kind = item.get("shared", "")
    if kind == "node":
        return i18n.tr("integrity.node", lang, node=str(item.get("value", ""))[:12], other=item.get("with", "?"))
    if kind == "address":
        return i18n.tr("integrity.address", lang, address=item.get("value", ""), other=item.get("with", "?"))
    if kind == "answers_elsewhere":
        return i18n.tr("integrity.answers_elsewhere", lang, cluster=str(item.get("value", ""))[:12])
    return i18n.tr(f"integrity.{kind}", lang, other=item.get("with", "?"), question=item.get("value", ""))


def _worth(book: Gradebook, result) -> float:
    return float(book.points.get(result.stage, {}).get(result.id, 0))


REPORT = Environment(loader=PackageLoader("swarmlab.grading", "."), autoescape=True, keep_trailing_newline=True)


def html_text(book: Gradebook) -> str:
    """One page, escaped by its template (every value is text, whatever a student's cluster said), with the style
    inlined and no script, so that it opens offline from a mail or a USB stick exactly as written."""
    best = book.total_max or 1
    students = []
    for g in book.grades:
        kind = "unreached" if g.reason else "all" if g.total >= book.total_max else "none" if g.total <= 0 else "some"
        failed = [
            (r.stage, r.id.replace("_", " "), "failed", _worth(book, r), r.message, r.hint, r.evidence[:6])
            for r in g.results
            if r.outcome == "failed"
        ]
        blocked: dict = {}
        for r in g.results:
            if r.outcome == "blocked":
                blocked.setdefault((r.stage, r.message, r.hint), []).append(r)
        failed += [
            (
                stage,
                ", ".join(r.id.replace("_", " ") for r in group),
                "blocked",
                sum(_worth(book, r) for r in group),
                message,
                hint,
                (),
            )
            for (stage, message, hint), group in blocked.items()
        ]
        cells = [
            (
                "na"
                if g.reason
                else "full"
                if g.earned[stage] >= book.stage_max(stage)
                else "zero"
                if g.earned[stage] <= 0
                else "part",
                number(g.earned[stage]),
            )
            for stage in book.stages
        ]
        shared = [said(item, book.lang) for item in g.integrity]
        students.append(
            {
                "grade": g,
                "kind": kind,
                "rows": failed,
                "cells": cells,
                "bar": f"{100 * g.total / best:.0f}",
                "total": number(g.total),
                "hint": next((r.hint for r in g.results if r.hint), ""),
                "passed": [r for r in g.results if r.outcome == "passed"],
                "shared": shared,
                "answers": [
                    (v, book.questions.get(v.id, 0.0) * v.credit, book.questions.get(v.id, 0.0)) for v in g.answers
                ],
            }
        )
    average = sum(g.total for g in book.grades) / len(book.grades) if book.grades else 0
    return REPORT.get_template("report.html").render(
        book=book,
        t=i18n.family("book", book.lang),
        students=students,
        average=number(average),
        number=number,
        roster_name=Path(book.roster).name,
        answer_words=i18n.family("answer", book.lang),
    )


def write(book: Gradebook, out: Path) -> None:
    """Render everything into a staging folder first, so that no file in `out` is ever half-written."""
    out.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".gradebook-", dir=out))
    try:
        (staging / "gradebook.csv").write_text(csv_text(book), encoding="utf-8")
        (staging / "gradebook.json").write_text(
            json.dumps(json_data(book), ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
        )
        (staging / "report.html").write_text(html_text(book), encoding="utf-8")
        (staging / "junit").mkdir()
        for grade in book.grades:
            JunitReport().write(grade.results, grade.id, staging / "junit" / f"{grade.id}.xml")
        if (out / "junit").is_dir():
            shutil.rmtree(out / "junit")
        for name in ("junit", "gradebook.csv", "gradebook.json", "report.html"):
            os.replace(staging / name, out / name)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
