"""The roster format: what loads, and how a bad file is refused (exit 2, file, line, field) before any grading."""

import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from swarmlab.errors import InventoryError, RosterError
from swarmlab.grading import roster
from swarmlab.grading.roster import Student

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
HEADER = "id,name,manager,user,port,key"


@pytest.fixture
def folder(tmp_path):
    """A roster's folder with the key files the examples name."""
    (tmp_path / "keys").mkdir()
    for name in ("class_ed25519", "carol_ed25519"):
        (tmp_path / "keys" / name).write_text("not read by the roster, only found\n")
    return tmp_path


def write(folder, text, name="roster.csv"):
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def refused(path) -> str:
    with pytest.raises(RosterError) as caught:
        roster.load(path)
    return str(caught.value)


@pytest.mark.parametrize("example", ["roster.example.csv", "roster.example.yaml"])
def test_the_example_rosters_load_with_keys_read_from_the_rosters_folder(folder, example):
    path = shutil.copy(FIXTURES / example, folder / example)
    students = roster.load(path).students
    assert [s.id for s in students] == ["s01", "s02", "s03"]
    first, second, third = students
    assert replace(first, email=None, idnumber=None, username=None, section=None) == Student(
        "s01",
        "Анна Иванова",
        "158.160.30.163",
        "ubuntu",
        22,
        folder / "keys" / "class_ed25519",
        ("158.160.24.31", "158.160.24.30"),
        "sudo",
        None,
        first.line,
    )
    assert (first.email, first.idnumber, first.section) == ("anna.ivanova@example.org", first.idnumber, "6B")
    assert (second.workers, second.become) == ((), "sudo")
    assert (third.name, third.port, third.known_hosts) == ("Smith, Carol", 2222, folder / "known_hosts" / "carol")


def test_the_csv_and_yaml_examples_describe_the_same_class(folder):
    def without_lines(name):
        return [replace(s, line=None) for s in roster.load(shutil.copy(FIXTURES / name, folder)).students]

    assert without_lines("roster.example.csv") == without_lines("roster.example.yaml")


def test_comments_blank_lines_a_utf8_bom_and_spaces_around_cells_are_ignored(folder):
    path = folder / "roster.csv"
    path.write_bytes(
        (
            "\ufeff# class 6B\n\n ID , Name,manager,user,port,key\n"
            " s1 , Ann , 10.0.0.1 , root , 22 , keys/class_ed25519 \n"
        ).encode("utf-8")
    )
    (student,) = roster.load(path).students
    assert (student.id, student.name, student.manager, student.port, student.line) == ("s1", "Ann", "10.0.0.1", 22, 4)


def test_every_roster_error_is_a_usage_error_with_exit_status_2():
    assert issubclass(RosterError, InventoryError) and RosterError.exit_code == 2


@pytest.mark.parametrize(
    "text, line, field, words",
    [
        ("id,name,manager,user,port\ns1,a,m,u,22\n", 1, "key", "the header has no column key"),
        (f"{HEADER},mark\n", 1, "mark", "unknown column"),
        (f"{HEADER},port\n", 1, "port", "appears twice"),
        (f"{HEADER}\ns1,Ann,10.0.0.1,root,22\n", 2, "key", "the row has 5 columns, the header 6"),
        (f"{HEADER}\ns1,Ann,10.0.0.1,root,22,keys/class_ed25519,extra\n", 2, "column 7", "the row has 7 columns"),
        (f"{HEADER}\ns1,Ann,10.0.0.1,root,twenty-two,keys/class_ed25519\n", 2, "port", "not a port number"),
        (f"{HEADER}\ns1,Ann,10.0.0.1,root,70000,keys/class_ed25519\n", 2, "port", "not a port number"),
        (f"{HEADER}\ns1,Ann,10.0.0.1,root,22,keys/missing\n", 2, "key", "does not exist"),
        (
            f"{HEADER}\ns1,Ann,10.0.0.1,root,22,keys/class_ed25519\nS1,Bob,10.0.0.2,root,22,keys/class_ed25519\n",
            3,
            "id",
            "already used on line 2",
        ),
        (f"{HEADER}\ns1,,10.0.0.1,root,22,keys/class_ed25519\n", 2, "name", "empty or missing"),
        (f"{HEADER}\ns 1,Ann,10.0.0.1,root,22,keys/class_ed25519\n", 2, "id", "not a usable id"),
        (f"{HEADER}\ns1,Ann,10.0.0.1 10.0.0.2,root,22,keys/class_ed25519\n", 2, "manager", "contains spaces"),
        (
            f"{HEADER},workers\ns1,Ann,10.0.0.1,root,22,keys/class_ed25519,10.0.0.2;10.0.0.1\n",
            2,
            "workers",
            "listed twice",
        ),
        (f"{HEADER},become\ns1,Ann,10.0.0.1,root,22,keys/class_ed25519,doas\n", 2, "become", "not supported"),
    ],
)
def test_a_malformed_csv_row_is_refused_naming_file_line_and_field(folder, text, line, field, words):
    message = refused(write(folder, text))
    assert message.startswith(f"{folder / 'roster.csv'}, line {line}, field {field}: "), message
    assert words in message


@pytest.mark.parametrize(
    "text, line, field, words",
    [
        (
            (
                "version: 1\nstudents:\n  - id: s1\n    name: Ann\n    manager: 10.0.0.1\n    user: root\n    port: 0\n"
                "    key: keys/class_ed25519\n"
            ),
            7,
            "port",
            "not a port number",
        ),
        (
            (
                "students:\n  - id: s1\n    name: Ann\n    manager: 10.0.0.1\n    user: root\n    port: 22\n"
                "    key: keys/nope\n"
            ),
            7,
            "key",
            "does not exist",
        ),
        (
            "students:\n  - id: s1\n    name: Ann\n    manager: 10.0.0.1\n    user: root\n    port: 22\n",
            2,
            "key",
            "empty or missing",
        ),
        (
            (
                "students:\n  - id: s1\n    name: Ann\n    manager: 10.0.0.1\n    user: root\n    port: 22\n"
                "    key: keys/class_ed25519\n    mail: ann@example.org\n"
            ),
            8,
            "mail",
            "unknown field",
        ),
        (
            (
                "students:\n  - {id: s1, name: A, manager: m1, user: u, port: 22, key: keys/class_ed25519}\n"
                "  - {id: s1, name: B, manager: m2, user: u, port: 22, key: keys/class_ed25519}\n"
            ),
            3,
            "id",
            "already used on line 2",
        ),
    ],
)
def test_a_malformed_yaml_entry_is_refused_naming_the_fields_own_line(folder, text, line, field, words):
    message = refused(write(folder, text, "roster.yaml"))
    assert message.startswith(f"{folder / 'roster.yaml'}, line {line}, field {field}: "), message
    assert words in message


@pytest.mark.parametrize(
    "name, text, words",
    [
        ("roster.csv", "", "is empty"),
        ("roster.csv", f"{HEADER}\n", "lists no student"),
        ("roster.yaml", "students: [\n", "not valid YAML"),
        ("roster.yaml", "- id: s1\n", "a mapping with a `students` list"),
    ],
)
def test_an_empty_or_shapeless_roster_is_refused(folder, name, text, words):
    assert words in refused(write(folder, text, name))


def test_a_missing_roster_file_says_what_to_pass(tmp_path):
    assert "no such roster file" in refused(tmp_path / "class.csv")
