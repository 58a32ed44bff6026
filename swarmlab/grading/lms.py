"""The class's marks as Moodle and Canvas import them, so that nobody retypes or edits a gradebook.

Each file follows its importer's own rules rather than swarmlab's gradebook.csv:

Moodle (Grades > Import > CSV file, grade/import/csv in moodle/moodle) finds every
user by one column the instructor picks ("Map from") and the user field it holds
("Map to": ID number, username or email address); every other column is mapped
to an existing grade item, to "Feedback for" one, or ignored. A value outside the
grade item's range fails the whole import, so values are plain points within
0..maximum, and one column per grade item carries the student's feedback.

Canvas (Grades > Import, GradebookImporter in instructure/canvas-lms) reads the
columns Student, ID, SIS User ID, SIS Login ID, Section in that order, then one
column per assignment; a plain name that matches no assignment makes a new one,
whose points come from the "Points Possible" row under the header. A student is
found by ID, else SIS User ID, else SIS Login ID, else by name. Canvas imports
no comments, and would take any further column for an assignment: the file has
marks only.

Both files are UTF-8 with commas, and every student has a row, the unreachable
ones with 0 (their reason is Moodle's feedback).
"""

import csv
import io
import os
import shutil
import tempfile
from pathlib import Path

from .. import i18n, safe
from ..errors import RosterError
from .gradebook import Gradebook

ITEM_PREFIX = "swarmlab"
MOODLE_IDS = (("idnumber", "ID number"), ("username", "Username"), ("email", "Email address"))
CANVAS_STUDENT = ("Student", "ID", "SIS User ID", "SIS Login ID", "Section")
CANVAS_POINTS = "Points Possible"


def check(roster, formats) -> None:
    """Refuse before any cluster is contacted what could not be exported after grading a whole class."""
    if "moodle" in (formats or ()):
        moodle_identifier(roster.students, roster.path)


def moodle_identifier(students, roster) -> tuple:
    """(roster field, Moodle's name for it): one field for all rows, as Moodle maps every row by one column,
    and a row it cannot match to a user fails the whole import."""
    for field, label in MOODLE_IDS:
        if all(_field(s, field) for s in students):
            return field, label
    raise RosterError(_unidentified(students, roster))


def _unidentified(students, roster) -> str:
    wanted = "--lms moodle finds every student in Moodle by their idnumber, username or email"
    if not any(_field(s, field) for s in students for field, _ in MOODLE_IDS):
        return (
            f"{roster}: {wanted}, and the roster has none of them: add an idnumber column (the students' ID "
            f"numbers in Moodle), or a username or email column, filled in for every student"
        )
    field = max(MOODLE_IDS, key=lambda pair: sum(bool(_field(s, pair[0])) for s in students))[0]
    lacking = [s for s in students if not _field(s, field)]
    where = f", line {lacking[0].line}" if getattr(lacking[0], "line", None) else ""
    more = f" and {len(lacking) - 1} more" if len(lacking) > 1 else ""
    return (
        f"{roster}{where}, field {field}: {wanted}, one of them for every student; {field} is empty for "
        f"{getattr(lacking[0], 'id', '?')}{more}: fill it in, as Moodle has it, for every student"
    )


def _field(student, name: str) -> str:
    """A roster field, or "" when the row lacks it (or the grade no row: then it identifies nobody)."""
    return getattr(student, name, None) or ""


def items(book: Gradebook) -> list:
    """(column name, maximum, stage) per grade item: each graded stage, then the total (stage None)."""
    return [(f"{ITEM_PREFIX}: {stage}", book.stage_max(stage), stage) for stage in book.stages] + [
        (f"{ITEM_PREFIX}: total", book.total_max, None)
    ]


def points(value: float) -> str:
    """Rounded like gradebook.number, but never with an exponent: both importers read plain decimals only."""
    return f"{round(value, 2):.2f}".rstrip("0").rstrip(".")


def _mark(grade, stage) -> str:
    return points(grade.total if stage is None else grade.earned[stage])


def feedback(book: Gradebook, grade, stage) -> str:
    """What the student reads beside a mark: why they were not graded, else the stage's first problem and fix."""
    if grade.reason or stage is None:
        return _one_line(grade.status)
    results = [r for r in grade.results if r.stage == stage]
    first = next((r for r in results if r.outcome == "failed"), None) or next(
        (r for r in results if r.outcome == "blocked"), None
    )
    if first is None:
        return i18n.tr("book.all_passed", book.lang)
    return _one_line(f"{first.message} → {first.hint}" if first.hint else first.message)


def _one_line(text: str) -> str:
    return " ".join(text.split())


def moodle_text(book: Gradebook) -> str:
    field, label = moodle_identifier([g.student for g in book.grades], book.roster)
    columns = items(book)
    rows = [[label, *(c for name, _, _ in columns for c in (name, f"Feedback for {name}"))]]
    for grade in book.grades:
        cells = (c for _, _, stage in columns for c in (_mark(grade, stage), feedback(book, grade, stage)))
        rows.append([_field(grade.student, field), *cells])
    return _csv(rows)


def canvas_text(book: Gradebook) -> str:
    columns = items(book)
    rows = [
        [*CANVAS_STUDENT, *(name for name, _, _ in columns)],
        [CANVAS_POINTS, *[""] * (len(CANVAS_STUDENT) - 1), *(points(most) for _, most, _ in columns)],
    ]
    for grade in book.grades:
        student = grade.student
        rows.append(
            [
                grade.name,
                "",
                _field(student, "idnumber"),
                _field(student, "username") or _field(student, "email"),
                _field(student, "section"),
                *(_mark(grade, stage) for _, _, stage in columns),
            ]
        )
    return _csv(rows)


def _csv(rows) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows([[safe.cell(c) for c in row] for row in rows])
    return buffer.getvalue()


WRITERS = {"moodle": ("moodle.csv", moodle_text), "canvas": ("canvas.csv", canvas_text)}


def exports(book: Gradebook, formats) -> dict:
    """{file name: text} for the LMSs asked for, rendered in full before anything is written."""
    return {WRITERS[f][0]: WRITERS[f][1](book) for f in dict.fromkeys(formats or ())}


def write(files: dict, out: Path) -> None:
    """Stage every file first, as gradebook.write does, so that no import ever meets a half-written file."""
    if not files:
        return
    out.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".lms-", dir=out))
    try:
        for name, text in files.items():
            (staging / name).write_bytes(text.encode("utf-8"))
        for name in files:
            os.replace(staging / name, out / name)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def note(book: Gradebook, files: dict) -> str:
    """The line an instructor needs before a Moodle import: the grade items to create, with their maximum."""
    wanted = ", ".join(f"{name} ({points(most)})" for name, most, _ in items(book))
    return f"{', '.join(files)} written: grade items (maximum points): {wanted}"
