"""The roster: one row per student, naming how to reach their cluster's manager.

An instructor keeps it as a spreadsheet (CSV) or YAML. Every row is checked
before any cluster is contacted, so that a typo on row 27 stops the run at once
with the file, line and field, instead of surfacing as a student's zero.

CSV (a header, then one row per student; `#` lines are comments):

    id,name,manager,user,port,key,workers,become,known_hosts,email,idnumber,username,section
    s01,Anna Ivanova,158.160.30.163,ubuntu,22,keys/class_ed25519,158.160.24.31;158.160.24.30,sudo,,,,,
    s02,Boris Petrov,158.160.41.7,ubuntu,22,keys/class_ed25519,,sudo,,boris@example.org,2023-0148,bpetrov,6B

YAML (the same fields):

    version: 1
    students:
      - id: s01
        name: Anna Ivanova
        manager: 158.160.30.163
        user: ubuntu
        port: 22
        key: keys/class_ed25519     # relative paths are read from the roster's folder
        workers: [158.160.24.31, 158.160.24.30]   # optional: else discovered from the manager
        become: sudo                # optional: for a user outside the docker group
        known_hosts: kh/s01         # optional: else --known-hosts (default ~/.ssh/known_hosts)
        email: anna@example.org     # optional, like the three below: who the student is in the LMS
        idnumber: "2023-0147"       # quoted, or YAML may read it as a number and drop leading zeros
        username: aivanova
        section: 6B

Workers left out are found on the manager (`docker node inspect`) at the
address the swarm knows them by, with the row's user, port and key.

The last four fields are what an LMS knows a student by (`swarmlab grade --lms`):
Moodle's ID number, username and email address, Canvas's SIS User ID, SIS Login
ID and section. No two students may share one, or the LMS would give one
student's marks to another.
"""

import csv
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from .. import yamlfile
from ..errors import RosterError

REQUIRED = ("id", "name", "manager", "user", "port", "key")
LMS = ("email", "idnumber", "username", "section")
OPTIONAL = ("workers", "become", "known_hosts") + LMS
FIELDS = REQUIRED + OPTIONAL
UNIQUE = ("id", "email", "idnumber", "username")
ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$")
ADDRESS = re.compile(r"^[^\s;,]+$")
EMAIL = re.compile(r"^[^\s@,;<>]+@[^\s@,;<>]+\.[^\s@,;<>]+$")
NO_SPACE = re.compile(r"^\S+$")


@dataclass(frozen=True)
class Student:
    id: str
    name: str
    manager: str
    user: str
    port: int
    key: Path
    workers: tuple = ()
    become: Optional[str] = None
    known_hosts: Optional[Path] = None
    line: Optional[int] = None
    email: Optional[str] = None
    idnumber: Optional[str] = None
    username: Optional[str] = None
    section: Optional[str] = None


@dataclass(frozen=True)
class Roster:
    path: Path
    students: tuple


def load(path) -> Roster:
    path = Path(path)
    if not path.is_file():
        raise RosterError(f"{path}: no such roster file: pass a CSV or YAML file with one row per student")
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as err:
        raise RosterError(f"{path}: cannot be read ({err}): save it as UTF-8 text") from None
    rows = _yaml_rows(text, path) if path.suffix.lower() in (".yaml", ".yml") else _csv_rows(text, path)
    students, seen = [], {field: {} for field in UNIQUE}
    for line, row, lines in rows:
        student = _student(row, line, lines, path)
        for field in UNIQUE:
            _claim(seen[field], student, field, lines.get(field) or line, path)
        students.append(student)
    if not students:
        raise RosterError(f"{path}: lists no student: add one row per student ({', '.join(REQUIRED)})")
    return Roster(path, tuple(students))


def _claim(seen: dict, student: Student, field: str, where, path: Path) -> None:
    """Refuse a value another student already has: the marks of one would reach the other."""
    value = getattr(student, field)
    if value is None:
        return
    first = seen.get(value.casefold())
    if first:
        _fail(
            path,
            where,
            field,
            f"{field} {value!r} is already used on line {first}: give every student their own {field}",
        )
    seen[value.casefold()] = where


def _fail(path: Path, line, field: str, problem: str):
    raise RosterError(f"{path}{f', line {line}' if line else ''}, field {field}: {problem}")


def _csv_rows(text: str, path: Path):
    """(line, {field: text}, {}) per student row; the header decides the columns' order and the separator (a
    spreadsheet in a Russian locale saves with `;`, some with tabs): the one the header line is split by."""
    reader = csv.reader(text.splitlines(keepends=True), delimiter=separator(text))
    header, header_line, rows, end = None, None, [], 0
    try:
        for cells in reader:
            start, end = end + 1, reader.line_num
            if not any(c.strip() for c in cells) or cells[0].lstrip().startswith("#"):
                continue
            cells = [c.strip() for c in cells]
            if header is None:
                header, header_line = [c.lower() for c in cells], start
                _check_header(header, header_line, path)
                continue
            if len(cells) != len(header):
                field = header[len(cells)] if len(cells) < len(header) else f"column {len(cells)}"
                _fail(
                    path,
                    start,
                    field,
                    f"the row has {len(cells)} columns, the header {len(header)} "
                    f"({','.join(header)}): fill in every column, even if empty",
                )
            rows.append((start, dict(zip(header, cells)), {}))
    except csv.Error as err:
        _fail(path, end + 1, "?", f"not valid CSV ({err})")
    if header is None:
        raise RosterError(f"{path}: is empty: start with the header {','.join(REQUIRED)}")
    return rows


def separator(text: str) -> str:
    """The separator of the first line that is not a comment: the one of `,`, `;` and tab it holds most of."""
    first = next((line for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")), "")
    return max((",", ";", "\t"), key=first.count)


def _check_header(header: list, line: int, path: Path) -> None:
    for name in header:
        if name not in FIELDS:
            _fail(path, line, name or "(empty)", f"unknown column (known: {', '.join(FIELDS)})")
        if header.count(name) > 1:
            _fail(path, line, name, "the column appears twice in the header")
    for name in REQUIRED:
        if name not in header:
            _fail(path, line, name, f"the header has no column {name} (required: {','.join(REQUIRED)})")


def _yaml_rows(text: str, path: Path):
    data = yamlfile.load(text, path, RosterError)
    if not isinstance(data, dict) or not isinstance(data.get("students"), list):
        raise RosterError(
            f"{path}: a YAML roster is a mapping with a `students` list (see fixtures/roster.example.yaml)"
        )
    for key in data:
        if key not in ("version", "students"):
            _fail(path, _line(data, key), key, "unknown field (known: version, students)")
    if data.get("version", 1) != 1:
        _fail(path, _line(data, "version"), "version", "only version 1 is known")
    rows = []  # (line, {field: text}, {field: its own line}): errors point at the field, not the entry
    for index, raw in enumerate(data["students"]):
        line = _item_line(data["students"], index)
        if not isinstance(raw, dict):
            _fail(path, line, f"students[{index}]", "each student is a mapping of " + ", ".join(REQUIRED))
        row = {}
        for key, value in raw.items():
            if key not in FIELDS:
                _fail(path, _line(raw, key), str(key), f"unknown field (known: {', '.join(FIELDS)})")
            if key == "workers" and isinstance(value, list):
                value = ";".join(str(v) for v in value)
            if key in LMS and value is not None and not isinstance(value, str) and type(value) is not int:
                _fail(
                    path,
                    _line(raw, key),
                    key,
                    f'write it in quotes ({key}: "..."): unquoted, YAML reads it as a number or a date and changes it',
                )
            row[key] = "" if value is None else str(value).strip()
        rows.append((line, row, {key: _line(raw, key) for key in row}))
    return rows


def _line(where, key):
    try:
        return where.lc.key(key)[0] + 1
    except (AttributeError, KeyError, TypeError):
        return None


def _item_line(seq, index):
    try:
        return seq.lc.item(index)[0] + 1
    except (AttributeError, KeyError, TypeError, IndexError):
        return None


def _student(row: dict, line: int, lines: dict, path: Path) -> Student:
    def fail(field, problem):
        _fail(path, lines.get(field) or line, field, problem)

    for name in REQUIRED:
        if not row.get(name):
            fail(name, f"{name} is empty or missing: every student needs {', '.join(REQUIRED)}")
    if not ID.match(row["id"]):
        fail(
            "id",
            f"{row['id']!r} is not a usable id: letters, digits, '.', '_', '@' or '-', "
            f"at most 64 (it names the student's report file)",
        )
    for name in ("manager", "user"):
        if not ADDRESS.match(row[name]):
            fail(name, f"{row[name]!r} contains spaces, ';' or ',': give one {name}")
    try:
        port = int(row["port"])
    except ValueError:
        port = 0
    if not 0 < port < 65536:
        fail("port", f"{row['port']!r} is not a port number (1-65535; SSH is usually 22)")
    key = _path(row["key"], path)
    if not key.is_file():
        fail("key", f"key file {key} does not exist: give the private key that opens this student's VMs")
    workers = tuple(w.strip() for w in (row.get("workers") or "").split(";") if w.strip())
    for worker in workers:
        if not ADDRESS.match(worker):
            fail("workers", f"{worker!r} is not an address: separate the workers' addresses with ';'")
        if worker == row["manager"] or workers.count(worker) > 1:
            fail("workers", f"{worker} is listed twice (as a worker or as the manager)")
    become = row.get("become") or None
    if become not in (None, "sudo"):
        fail("become", f"{become!r} is not supported: leave it empty or write sudo")
    known_hosts = _path(row["known_hosts"], path) if row.get("known_hosts") else None
    email = row.get("email") or None
    if email and not EMAIL.match(email):
        fail(
            "email",
            f"{email!r} is not an email address: give the one the student has in the LMS "
            f"(name@example.org), or leave it empty",
        )
    for name in ("idnumber", "username"):
        if row.get(name) and not NO_SPACE.match(row[name]):
            fail(name, f"{row[name]!r} contains spaces: give the student's {name} exactly as the LMS has it")
    return Student(
        id=row["id"],
        name=row["name"],
        manager=row["manager"],
        user=row["user"],
        port=port,
        key=key,
        workers=workers,
        become=become,
        known_hosts=known_hosts,
        line=line,
        email=email,
        idnumber=row.get("idnumber") or None,
        username=row.get("username") or None,
        section=row.get("section") or None,
    )


def _path(value: str, roster: Path) -> Path:
    candidate = Path(value).expanduser()
    return candidate if candidate.is_absolute() else (roster.parent / candidate).resolve()
