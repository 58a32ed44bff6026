"""The LMS exports: each file is read back as Moodle's and Canvas's importers read it, and held to their rules.

The rules come from the importers themselves: Moodle's grade/import/csv (load_data.php, the mapping form)
and Canvas's GradebookImporter (app/models/gradebook_importer.rb). No cluster is needed: the gradebook is
built in memory as grader.score builds it.
"""

import csv
import io
import re
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from swarmlab.checking.results import CheckResult
from swarmlab.errors import RosterError
from swarmlab.frontends.cli import parser
from swarmlab.grading import lms, roster
from swarmlab.grading.gradebook import Grade, Gradebook
from swarmlab.grading.roster import Student
from swarmlab.grading.rubric import Rubric, number

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
SWARMLAB = str(Path(sys.executable).parent / "swarmlab")
POINTS = {
    "init": {"manager_answers_with_docker": 4, "swarm_is_active_on_the_manager": 6},
    "join": {"every_worker_answers_with_docker": 5, "every_node_is_ready_and_active": 10},
    "network": dict.fromkeys(
        (
            "lemp_overlay_exists",
            "lemp_overlay_is_an_overlay_of_swarm_scope",
            "lemp_overlay_was_created_outside_the_stacks",
        ),
        10 / 3,
    ),
}
STAGES = tuple(POINTS)
PLAIN_NUMBER = re.compile(r"^\d+(\.\d{1,2})?$")
MOODLE_USER_FIELDS = ("ID number", "Username", "Email address")  # the mapping form's "Map to" choices
CANVAS_NON_ASSIGNMENT = re.compile(
    "Current Score|Current Points|Current Grade|Final Score|Final Points|"
    "Final Grade|Override Score|Override Grade|Override Status"
)


def student(id, name, **lms_fields) -> Student:
    return Student(
        id=id, name=name, manager="10.0.0.1", user="root", port=22, key=Path("keys/k"), line=None, **lms_fields
    )


def grade(who: Student, outcomes: dict, status: str, reason=None) -> Grade:
    """A Grade as grader.score makes it: results in stage order, earned from the rubric."""
    results = tuple(
        CheckResult(
            stage,
            check,
            outcomes.get(check, "passed"),
            *(
                ("", "")
                if outcomes.get(check, "passed") == "passed"
                else (f"{check.replace('_', ' ')} does not hold,\n see the evidence", f"fix {check.replace('_', ' ')}")
            ),
        )
        for stage in STAGES
        for check in POINTS[stage]
    )
    earned = Rubric(Path("rubric.yaml"), 1, POINTS).earned(results, STAGES)
    return Grade(
        id=who.id,
        name=who.name,
        manager=who.manager,
        user=who.user,
        results=results,
        earned=earned,
        status=status,
        reason=reason,
        seconds=1.0,
        student=who,
    )


ANNA = student("s01", "Анна Иванова", email="anna@example.org", idnumber="2023-0147", username="aivanova", section="6B")
CAROL = student("s02", "Smith, Carol", email="carol@example.org", idnumber="2023-0152", username="csmith", section="6C")
BORIS = student(
    "s03", "Борис Петров-Водкин", email="boris@example.org", idnumber="2023-0148", username="bpetrov", section="6B"
)
UNREACHED = "не проверено: SSH к manager не ответил за 10 с: проверьте адрес и что ВМ запущена"


def all_blocked(who: Student) -> Grade:
    return grade(who, {c: "blocked" for s in STAGES for c in POINTS[s]}, UNREACHED, reason="timeout")


def class_book(*grades) -> Gradebook:
    grades = grades or (
        grade(ANNA, {}, "проверено: все проверки пройдены"),
        grade(
            CAROL,
            {
                "every_node_is_ready_and_active": "failed",
                "lemp_overlay_exists": "failed",
                "lemp_overlay_was_created_outside_the_stacks": "blocked",
            },
            "проверено: пройдено 5 из 8; исправить первым (join): every node is ready and active does not hold",
        ),
        all_blocked(BORIS),
    )
    return Gradebook(
        grades=tuple(grades),
        stages=STAGES,
        points=POINTS,
        roster="class.csv",
        rubric="rubric.yaml",
        lang="ru",
        graded_at="2025-01-01T00:00:00+00:00",
    )


@pytest.fixture
def written(tmp_path):
    """The class's exports, written to disk as `swarmlab grade --lms moodle --lms canvas` writes them."""
    book = class_book()
    lms.write(lms.exports(book, ["moodle", "canvas"]), tmp_path)
    return book, tmp_path


def read_rows(path: Path) -> list:
    text = path.read_bytes().decode("utf-8")  # strict: a byte that is not UTF-8 raises
    return list(csv.reader(io.StringIO(text, newline="")))


def maxima(book: Gradebook) -> dict:
    return {**{f"swarmlab: {s}": book.stage_max(s) for s in book.stages}, "swarmlab: total": book.total_max}


# -- Moodle ---------------------------------------------------------------------------------------------------


def test_moodle_file_is_utf8_and_every_row_has_the_headers_column_count(written):
    book, out = written
    rows = read_rows(out / "moodle.csv")
    assert not (out / "moodle.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    assert {len(row) for row in rows} == {len(rows[0])}
    assert len(rows) == 1 + len(book.grades)
    assert UNREACHED in {cell for row in rows for cell in row}  # Cyrillic survives intact


def test_moodle_header_is_one_user_field_then_each_grade_item_followed_by_its_feedback(written):
    book, out = written
    header = read_rows(out / "moodle.csv")[0]
    items = list(maxima(book))
    assert header[0] in MOODLE_USER_FIELDS
    assert header[1:] == [c for item in items for c in (item, f"Feedback for {item}")]
    assert len(set(header)) == len(header)


def test_moodle_maps_users_from_the_id_number_when_every_student_has_one_and_each_row_names_one_user(written):
    book, out = written
    rows = read_rows(out / "moodle.csv")
    assert rows[0][0] == "ID number"
    ids = [row[0] for row in rows[1:]]
    assert ids == [g.student.idnumber for g in book.grades]
    assert all(ids) and len(set(ids)) == len(ids)


def test_moodle_grades_are_plain_numbers_within_each_grade_items_range(written):
    book, out = written
    header, *rows = read_rows(out / "moodle.csv")
    for column, item in enumerate(header):
        if item in maxima(book):
            for row in rows:
                assert PLAIN_NUMBER.match(row[column]), (item, row[column])
                assert 0 <= float(row[column]) <= maxima(book)[item]


def test_moodle_marks_are_the_rubrics_points_rounded_like_the_gradebook(written):
    book, out = written
    header, *rows = read_rows(out / "moodle.csv")
    carol = dict(zip(header, rows[1]))
    assert carol["swarmlab: init"] == "10"
    assert carol["swarmlab: join"] == "5"
    assert carol["swarmlab: network"] == number(10 / 3) == "3.33"
    assert carol["swarmlab: total"] == number(10 + 5 + 10 / 3) == "18.33"
    assert dict(zip(header, rows[0]))["swarmlab: total"] == "35"


def test_moodle_feedback_is_present_on_one_line_for_every_grade_item(written):
    book, out = written
    header, *rows = read_rows(out / "moodle.csv")
    feedback = [c for c, name in enumerate(header) if name.startswith("Feedback for ")]
    assert len(feedback) == len(maxima(book))
    assert all(row[c] and "\n" not in row[c] for row in rows for c in feedback)


def test_moodle_feedback_gives_the_stages_first_failure_and_fix_else_that_all_passed(written):
    _, out = written
    header, *rows = read_rows(out / "moodle.csv")
    anna, carol = (dict(zip(header, row)) for row in rows[:2])
    assert anna["Feedback for swarmlab: init"] == "Все проверки пройдены."
    assert carol["Feedback for swarmlab: join"] == (
        "every node is ready and active does not hold, see the evidence → fix every node is ready and active"
    )
    assert carol["Feedback for swarmlab: network"].startswith("lemp overlay exists does not hold")
    assert carol["Feedback for swarmlab: total"].startswith("проверено: пройдено 5 из 8")


def test_an_unreachable_student_keeps_a_moodle_row_with_zeros_and_the_reason_as_feedback(written):
    _, out = written
    header, *rows = read_rows(out / "moodle.csv")
    boris = dict(zip(header, rows[2]))
    assert boris["ID number"] == "2023-0148"
    assert {boris[f"swarmlab: {s}"] for s in (*STAGES, "total")} == {"0"}
    assert {boris[f"Feedback for swarmlab: {s}"] for s in (*STAGES, "total")} == {UNREACHED}


@pytest.mark.parametrize(
    "missing, column",
    [
        ({"idnumber": None}, "Username"),
        ({"idnumber": None, "username": None}, "Email address"),
    ],
)
def test_moodle_falls_back_to_username_then_email_when_a_student_lacks_the_one_before(missing, column):
    book = class_book(grade(ANNA, {}, "ok"), grade(replace(CAROL, **missing), {}, "ok"))
    header, *rows = list(csv.reader(io.StringIO(lms.moodle_text(book))))
    field = {"Username": "username", "Email address": "email"}[column]
    assert header[0] == column
    assert [row[0] for row in rows] == [getattr(ANNA, field), getattr(CAROL, field)]


def test_moodle_export_is_refused_naming_the_column_line_and_fix_when_no_identifier_covers_every_student():
    lacking = replace(CAROL, idnumber=None, username=None, email=None, line=3)
    with pytest.raises(RosterError) as caught:
        lms.moodle_identifier([ANNA, lacking], "class.csv")
    message = str(caught.value)
    assert message.startswith("class.csv, line 3, field idnumber:")
    assert "idnumber is empty for s02" in message and "fill it in" in message and "\n" not in message


def test_moodle_export_is_refused_when_the_roster_has_no_identifier_at_all():
    bare = [replace(s, idnumber=None, username=None, email=None) for s in (ANNA, CAROL)]
    with pytest.raises(RosterError, match=r"^class\.csv: .*none of them: add an idnumber column") as caught:
        lms.exports(class_book(*(grade(s, {}, "ok") for s in bare)), ["moodle"])
    assert caught.value.exit_code == 2


# -- Canvas ---------------------------------------------------------------------------------------------------


def test_canvas_header_is_student_id_sis_user_id_sis_login_id_section_then_one_column_per_assignment(written):
    book, out = written
    header = read_rows(out / "canvas.csv")[0]
    assert header[:5] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]
    assert header[5:] == list(maxima(book))


def test_canvas_assignment_names_create_new_assignments_and_none_is_taken_for_a_read_only_column(written):
    _, out = written
    for name in read_rows(out / "canvas.csv")[0][5:]:
        assert not re.search(r"\s\(\d+\)$", name)  # "Name (123)" would point at assignment 123
        assert not CANVAS_NON_ASSIGNMENT.search(name)
        assert name not in ("Student", "ID", "SIS User ID", "SIS Login ID", "Section", "Integration ID")


def test_canvas_points_possible_row_follows_the_header_with_each_assignments_maximum(written):
    book, out = written
    header, points, *_ = read_rows(out / "canvas.csv")
    assert "Points Possible" in points[0] and points[1:5] == ["", "", "", ""]
    assert dict(zip(header[5:], map(float, points[5:]))) == pytest.approx(maxima(book))


def test_canvas_reads_the_file_as_comma_separated(written):
    """Canvas picks ';' only when it splits the first three lines into more fields, all alike, than ',' does."""
    _, out = written
    lines = (out / "canvas.csv").read_text(encoding="utf-8").splitlines()[:3]

    def fields(separator):
        counts = {len(next(csv.reader([line], delimiter=separator))) for line in lines}
        return counts.pop() if len(counts) == 1 else 0

    assert fields(",") > fields(";")


def test_canvas_rows_identify_students_by_sis_ids_and_their_roster_name_with_an_empty_canvas_id(written):
    book, out = written
    header, _, *rows = read_rows(out / "canvas.csv")
    assert [row[:5] for row in rows] == [
        [g.name, "", g.student.idnumber, g.student.username, g.student.section] for g in book.grades
    ]
    assert rows[1][0] == "Smith, Carol"
    logins = [row[3] for row in rows]
    assert all(logins) and len(set(logins)) == len(logins)


def test_canvas_login_id_is_the_email_when_the_roster_has_no_username():
    book = class_book(grade(replace(ANNA, username=None), {}, "ok"))
    rows = list(csv.reader(io.StringIO(lms.canvas_text(book))))
    assert rows[2][3] == ANNA.email


def test_canvas_marks_are_plain_numbers_within_points_possible_and_no_column_holds_text(written):
    _, out = written
    header, points, *rows = read_rows(out / "canvas.csv")
    for row in rows:
        assert len(row) == len(header)
        for value, most in zip(row[5:], points[5:]):
            assert PLAIN_NUMBER.match(value) and 0 <= float(value) <= float(most)


def test_an_unreachable_student_keeps_a_canvas_row_with_zeros(written):
    _, out = written
    boris = read_rows(out / "canvas.csv")[4]
    assert boris[0] == "Борис Петров-Водкин" and set(boris[5:]) == {"0"}


# -- Writing --------------------------------------------------------------------------------------------------


def test_points_are_never_written_with_an_exponent():
    assert [lms.points(p) for p in (0, 10, 3.333, 2.5, 1234567.891)] == ["0", "10", "3.33", "2.5", "1234567.89"]


def test_exports_carry_no_evidence_where_a_secret_could_hide():
    secret = "MYSQL_ROOT_" + "PASSWORD=" + "hunter2-" + "x9"
    failed = grade(CAROL, {"lemp_overlay_exists": "failed"}, "ok")
    results = tuple(replace(r, evidence=[secret]) for r in failed.results)
    files = lms.exports(class_book(replace(failed, results=results)), ["moodle", "canvas"])
    assert not any("hunter2" in text for text in files.values())


def test_exports_are_written_beside_the_gradebook_with_no_staging_folder_left(written):
    _, out = written
    assert sorted(p.name for p in out.iterdir()) == ["canvas.csv", "moodle.csv"]


def test_a_failure_while_writing_leaves_the_earlier_export_whole_and_no_staging_folder(tmp_path, monkeypatch):
    (tmp_path / "moodle.csv").write_text("earlier\n", encoding="utf-8")
    files = lms.exports(class_book(), ["moodle", "canvas"])
    monkeypatch.setattr(Path, "write_bytes", _failing_second(Path.write_bytes))
    with pytest.raises(OSError):
        lms.write(files, tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["moodle.csv"]
    assert (tmp_path / "moodle.csv").read_text(encoding="utf-8") == "earlier\n"


def _failing_second(write_bytes):
    """Path.write_bytes as a full disk would make it: the second file cannot be written."""
    calls = []

    def write(self, data):
        calls.append(self)
        if len(calls) == 2:
            raise OSError("disk full")
        return write_bytes(self, data)

    return write


def test_lms_given_twice_asks_for_both_files_once_each():
    args = parser().parse_args(["grade", "class.csv", "--lms", "moodle", "--lms", "canvas", "--lms", "moodle"])
    assert list(lms.exports(class_book(), args.lms)) == ["moodle.csv", "canvas.csv"]


# -- The roster's LMS columns ---------------------------------------------------------------------------------


@pytest.fixture
def folder(tmp_path):
    (tmp_path / "keys").mkdir()
    for name in ("class_ed25519", "carol_ed25519"):
        (tmp_path / "keys" / name).write_text("not read by the roster, only found\n")
    (tmp_path / "rubric.yaml").write_text("version: 1\nstages:\n  init: 10\n", encoding="utf-8")
    return tmp_path


HEADER = "id,name,manager,user,port,key,email,idnumber,username,section"
ROW = "s1,Ann,10.0.0.1,root,22,keys/class_ed25519"


def roster_file(folder, *rows, header=HEADER, name="class.csv") -> Path:
    path = folder / name
    path.write_text("\n".join((header, *rows)) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("example", ["roster.example.csv", "roster.example.yaml"])
def test_the_example_rosters_give_every_student_their_lms_identity(folder, example):
    path = folder / example
    path.write_bytes((FIXTURES / example).read_bytes())
    students = roster.load(path).students
    assert [(s.email, s.idnumber, s.username, s.section) for s in students] == [
        ("anna.ivanova@example.org", "2023-0147", "aivanova", "6B"),
        ("boris.petrov@example.org", "2023-0148", "bpetrov", "6B"),
        ("carol.smith@example.org", "2023-0152", "csmith", "6C"),
    ]
    lms.check(roster.load(path), ["moodle", "canvas"])


def test_lms_columns_are_optional_and_empty_cells_are_none(folder):
    (s,) = roster.load(roster_file(folder, f"{ROW},,,,")).students
    assert (s.email, s.idnumber, s.username, s.section) == (None, None, None, None)


@pytest.mark.parametrize(
    "cells, field, words",
    [
        ("ann-at-example.org,,,", "email", "is not an email address"),
        ("ann@example,,,", "email", "is not an email address"),
        ("ann @example.org,,,", "email", "is not an email address"),
        (",2023 0147,,", "idnumber", "contains spaces"),
        (",,ann ivanova,", "username", "contains spaces"),
    ],
)
def test_a_malformed_lms_column_is_refused_with_file_line_and_field(folder, cells, field, words):
    path = roster_file(folder, f"{ROW},{cells}")
    with pytest.raises(RosterError) as caught:
        roster.load(path)
    assert str(caught.value).startswith(f"{path}, line 2, field {field}: ")
    assert words in str(caught.value)


@pytest.mark.parametrize(
    "field, first, second",
    [
        ("email", "ann@example.org,,,", "ANN@example.org,,,"),
        ("idnumber", ",2023-0147,,", ",2023-0147,,"),
        ("username", ",,ann,", ",,ann,"),
    ],
)
def test_two_students_sharing_an_lms_identity_are_refused(folder, field, first, second):
    path = roster_file(folder, f"{ROW},{first}", f"s2,Bob,10.0.0.2,root,22,keys/class_ed25519,{second}")
    with pytest.raises(RosterError, match=rf", line 3, field {field}: .* already used on line 2"):
        roster.load(path)


def test_a_yaml_idnumber_that_yaml_would_change_must_be_quoted(folder):
    path = folder / "class.yaml"
    entry = (
        "  - {{id: {id}, name: Ann, manager: 10.0.0.1, user: root, port: 22, key: keys/class_ed25519, idnumber: {n}}}"
    )
    path.write_text(f"students:\n{entry.format(id='s1', n='00147')}\n", encoding="utf-8")
    with pytest.raises(RosterError, match=r"line 2, field idnumber: write it in quotes"):
        roster.load(path)
    path.write_text(
        f"students:\n{entry.format(id='s1', n=repr('00147'))}\n{entry.format(id='s2', n='20230148')}\n",
        encoding="utf-8",
    )
    assert [s.idnumber for s in roster.load(path).students] == ["00147", "20230148"]


def swarmlab(*args, cwd):
    return subprocess.run([SWARMLAB, *args], cwd=cwd, capture_output=True, text=True, timeout=120)


def test_grade_with_a_bad_email_exits_2_with_one_line_and_no_traceback(folder):
    roster_file(folder, f"{ROW},not-an-email,,,", name="bad.csv")
    done = swarmlab("grade", "bad.csv", "--lms", "moodle", "--rubric", "rubric.yaml", cwd=folder)
    output = (done.stdout + done.stderr).strip()
    assert done.returncode == 2
    assert output.splitlines() == [output] and "Traceback" not in output
    assert output.startswith("swarmlab: bad.csv, line 2, field email:")


def test_grade_lms_moodle_without_idnumber_username_or_email_exits_2_before_writing_anything(folder):
    roster_file(folder, ROW, header="id,name,manager,user,port,key")
    done = swarmlab("grade", "class.csv", "--lms", "moodle", "--rubric", "rubric.yaml", "--out", "out", cwd=folder)
    output = (done.stdout + done.stderr).strip()
    assert done.returncode == 2
    assert output.splitlines() == [output] and "Traceback" not in output
    assert "idnumber" in output and "username" in output and "email" in output
    assert not (folder / "out").exists()
