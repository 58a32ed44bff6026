"""Grading a class: every student's cluster checked read-only, scored by a rubric, kept as a gradebook.

Each student gets a `swarmlab check` process of their own: pytest runs one
session per process, so clusters can only be checked side by side that way,
and a student whose VMs hang is stopped at the deadline without holding up the
class. What the checks cannot learn from the roster (the nodes' hostnames, the
workers nobody listed) is read first from the manager in one round trip.

Whatever a student's cluster does, grading goes on: a cluster that cannot be
reached scores 0 for what could not be checked, with the reason in plain
words, and every other student is graded as usual.
"""

import ast
import functools
import json
import logging
import os
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Optional

from rich.console import Console
from rich.markup import escape
from rich.table import Table
from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError

from . import gradebook, inventory, swarm, ui
from . import roster as roster_file
from .checking import CHECKS_DIR, LANGS, STAGES, CheckFailure, CheckResult
from .cluster import Cluster
from .errors import InventoryError, UsageError
from .inventory import Inventory, NodeSpec, yaml_line
from .lesson import LEVEL6
from .secrets import Masker, lesson_passwords
from .ssh import Unreachable

DEFAULT_RUBRIC = Path(__file__).resolve().with_name("rubric.yaml")
DEFAULT_JOBS = 8
DEFAULT_TIMEOUT = 300.0
CONNECT_TIMEOUT = 10.0

# The grader's own reads, beside the checks': the manager's hostname and its swarm's nodes in one
# round trip, and the hostname of a worker the roster lists by address.
DISCOVER = r"""
echo '@@ hostname'; hostname
echo '@@ nodes'; n=$(docker node ls -q 2>/dev/null); [ -z "$n" ] || docker node inspect --format '{{json .}}' $n
true
"""
WORKER_NAME = "hostname"

STATUS = {
    "en": dict(all="graded: every check passed",
               some="graded: {passed} of {count} checks passed; first to fix ({stage}): {message}",
               unreached="not graded: {message}",
               late="not graded: the checks did not finish within {timeout:g} s",
               broken="not graded: the checks could not run ({message})",
               reach="check this student's manager, port, user and key in the roster"),
    "ru": dict(all="проверено: все проверки пройдены",
               some="проверено: пройдено {passed} из {count}; исправить первым ({stage}): {message}",
               unreached="не проверено: {message}",
               late="не проверено: проверки не уложились в {timeout:g} с",
               broken="не проверено: проверки не запустились ({message})",
               reach="проверьте manager, port, user и key этого студента в списке"),
}


class RubricError(InventoryError):
    """A rubric that cannot score as written (exit 2, before any cluster is contacted)."""


@dataclass(frozen=True)
class Rubric:
    path: Path
    points: dict  # {stage: {check id: points}}, stages in the lesson's order

    def select(self, stages) -> tuple:
        """The stages to grade: those asked for (each must earn points here), else all the rubric's."""
        if not stages:
            return tuple(self.points)
        for stage in stages:
            if stage not in self.points:
                raise RubricError(f"{self.path}: stage {stage} earns no points in this rubric: add it under "
                                  f"`stages` or leave it out of --stages (graded here: {', '.join(self.points)})")
        return tuple(s for s in STAGES if s in stages)

    def earned(self, results, stages) -> dict:
        earned = dict.fromkeys(stages, 0.0)
        for r in results:
            if r.outcome == "passed" and r.stage in earned:
                earned[r.stage] += self.points[r.stage].get(r.id, 0.0)
        return earned


@functools.lru_cache(maxsize=1)
def known_checks() -> dict:
    """{stage: (check id, ...)} read from checks/ without running it, to validate rubrics against."""
    found = {}
    for module in sorted(CHECKS_DIR.glob("test_*.py")):
        tree = ast.parse(module.read_text(), str(module))
        stage = next((node.value.attr for node in tree.body if isinstance(node, ast.Assign)
                      and any(getattr(t, "id", None) == "pytestmark" for t in node.targets)
                      and isinstance(node.value, ast.Attribute)), None)
        if stage in STAGES:
            found.setdefault(stage, ())
            found[stage] += tuple(node.name.removeprefix("test_") for node in tree.body
                                  if isinstance(node, ast.FunctionDef) and node.name.startswith("test_"))
    return found


def load_rubric(path) -> Rubric:
    path = Path(path)
    if not path.is_file():
        raise RubricError(f"{path}: no such rubric file: pass --rubric FILE (see {DEFAULT_RUBRIC})")
    try:
        data = YAML(typ="rt").load(path.read_text(encoding="utf-8"))
    except (YAMLError, UnicodeDecodeError) as err:
        mark = getattr(err, "problem_mark", None)
        raise RubricError(f"{path}{f', line {mark.line + 1}' if mark else ''}: not valid YAML "
                          f"({getattr(err, 'problem', err)})") from None

    def fail(where, key, field, problem):
        line = yaml_line(where, key)
        raise RubricError(f"{path}{f', line {line}' if line else ''}, field {field}: {problem}")

    def points_at(where, key, field) -> float:
        value = where[key]
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
            fail(where, key, field, f"{value!r} is not a number of points (0 or more)")
        return float(value)

    if not isinstance(data, dict) or not isinstance(data.get("stages"), dict) or not data["stages"]:
        raise RubricError(f"{path}: a rubric is a mapping with `stages`, each a number of points or a mapping "
                          f"of checks to points (see {DEFAULT_RUBRIC})")
    for key in data:
        if key not in ("version", "total", "stages"):
            fail(data, key, key, "unknown field (known: version, total, stages)")
    if data.get("version", 1) != 1:
        fail(data, "version", "version", "only version 1 is known")
    checks = known_checks()
    stages, points = data["stages"], {}
    for stage, value in stages.items():
        if stage not in STAGES or stage not in checks:
            fail(stages, stage, stage, f"unknown stage (known: {', '.join(s for s in STAGES if s in checks)})")
        if not isinstance(value, dict):
            points[stage] = dict.fromkeys(checks[stage], points_at(stages, stage, stage) / len(checks[stage]))
            continue
        points[stage] = {}
        for check in value:
            if check not in checks[stage]:
                fail(value, check, f"{stage}.{check}",
                     f"stage {stage} has no such check (its checks: {', '.join(checks[stage])})")
            points[stage][check] = points_at(value, check, f"{stage}.{check}")
    if "total" in data:
        total = points_at(data, "total", "total")
        added = sum(sum(p.values()) for p in points.values())
        if abs(added - total) > 1e-6:
            fail(data, "total", "total", f"the stages' points add up to {gradebook.number(added)}, not "
                                         f"{gradebook.number(total)}: fix the points or the total")
    return Rubric(path, {stage: points[stage] for stage in STAGES if stage in points})


@dataclass(frozen=True)
class Plan:
    """How every student of one run is graded."""

    stages: tuple
    rubric: Rubric
    lang: str
    timeout: float
    known_hosts: Path
    accept_new_host_keys: bool
    workdir: Path
    mask: Masker


def discover(student: roster_file.Student, plan: Plan, record) -> Inventory:
    """The student's inventory: nodes named by their hostnames, workers as listed or as the swarm knows them."""
    def spec(name, address, role="worker"):
        return NodeSpec(name, address, role, student.port, student.user, student.key,
                        student.known_hosts or plan.known_hosts, student.become)

    def connect(nodes):
        return Cluster(Inventory(nodes=tuple(nodes)), timeout=min(CONNECT_TIMEOUT, plan.timeout),
                       accept_new_host_keys=plan.accept_new_host_keys, recorder=record)

    manager = spec("manager", student.manager, "manager")
    with connect([manager]) as cluster:
        text = cluster.run(manager.name, DISCOVER, timeout=60).stdout
    hostname = (swarm.sections(text).get("hostname") or ["manager"])[0].strip()
    members = {}
    for node in swarm.parse_manager(text).nodes:  # a node that left and joined again is listed twice: keep the live one
        if node.hostname not in members or node.state == "ready":
            members[node.hostname] = node
    if not student.workers:
        workers = [spec(n.hostname, n.addr) for n in members.values() if n.hostname != hostname]
        return Inventory(nodes=(replace(manager, name=hostname), *workers))
    by_address = {n.addr: n.hostname for n in members.values()}
    with connect(spec(address, address) for address in student.workers) as cluster:
        names = cluster.map(lambda address: cluster.run(address, WORKER_NAME, timeout=30).stdout.strip())
    workers, used = [], {hostname}
    for index, address in enumerate(student.workers, 1):
        name = names[address] if isinstance(names[address], str) and names[address] else \
            by_address.get(address, f"worker-{index}")  # unreachable: the checks will say so under this name
        name = name if name not in used else f"{name}-{index}"
        used.add(name)
        workers.append(spec(name, address))
    return Inventory(nodes=(replace(manager, name=hostname), *workers))


def grade_student(student: roster_file.Student, plan: Plan) -> gradebook.Grade:
    started = time.monotonic()
    commands = plan.workdir / f"{student.id}.commands.jsonl"
    text = STATUS[plan.lang]

    def record(node, command):
        with open(commands, "a") as out:
            out.write(json.dumps({"node": node, "command": command}) + "\n")

    try:
        inv = discover(student, plan, record)
    except Unreachable as err:
        message = CheckFailure("init.unreachable", node="manager",
                               reason=str(err).split(": ", 1)[-1]).render(plan.lang)[0]
        return unchecked(student, plan, err.reason, text["unreached"].format(message=message), started, message,
                         text["reach"])
    path = plan.workdir / f"{student.id}.inventory.yaml"
    inventory.dump(replace(inv, path=path), path)
    report = plan.workdir / f"{student.id}.json"
    argv = [sys.executable, "-m", "labs.cli", "check", "--inventory", str(path), "--json", str(report),
            "--lang", plan.lang, "--record-commands", str(commands), "-q",
            *(a for stage in plan.stages for a in ("--stage", stage))]
    if plan.accept_new_host_keys:
        argv.append("--accept-new-host-keys")
    # The checks need no installed pytest plugin, and autoloading them (nbval pulls in jsonschema's
    # grammars) costs more CPU than a whole check run: with a class in parallel, that is the bottleneck.
    env = {**os.environ, "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1"}
    left = plan.timeout - (time.monotonic() - started)
    try:
        done = subprocess.run(argv, capture_output=True, text=True, timeout=max(left, 1), env=env,
                              stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        return unchecked(student, plan, "timeout", text["late"].format(timeout=plan.timeout), started)
    if not report.is_file():
        last = next((line for line in reversed(done.stderr.splitlines()) if line.strip()), f"exit {done.returncode}")
        status = text["broken"].format(message=last.removeprefix("swarmlab: ").strip())
        return unchecked(student, plan, "error", status, started)
    results = [CheckResult(c["stage"], c["id"], c["outcome"], c["message"], c["hint"], c.get("step"),
                           c.get("evidence") or [])
               for c in json.loads(report.read_text(encoding="utf-8"))["checks"]]
    failed = next((r for r in results if r.outcome == "failed"), None)
    status = text["all"] if failed is None else text["some"].format(
        passed=sum(r.outcome == "passed" for r in results), count=len(results), stage=failed.stage,
        message=failed.message)
    return _grade(student, plan, results, status, None, started)


def unchecked(student, plan: Plan, reason: str, status: str, started: float, message: str = "",
              hint: str = "") -> gradebook.Grade:
    """A student whose checks could not run: every check of the graded stages is reported as not checked."""
    results = [CheckResult(stage, check, "blocked", message or status, hint)
               for stage in plan.stages for check in known_checks().get(stage, ())]
    return _grade(student, plan, results, status, reason, started)


def _grade(student, plan: Plan, results, status: str, reason: Optional[str], started: float) -> gradebook.Grade:
    mask = plan.mask
    results = tuple(replace(r, message=mask(r.message), hint=mask(r.hint), evidence=[mask(e) for e in r.evidence])
                    for r in results)
    return gradebook.Grade(id=student.id, name=student.name, manager=student.manager, user=student.user,
                           results=results, earned=plan.rubric.earned(results, plan.stages), status=mask(status),
                           reason=reason, seconds=time.monotonic() - started)


class _Tally:
    """Counts for the progress line, updated from the grading threads."""

    def __init__(self, count: int, step):
        self.count, self.step = count, step
        self.done = self.running = self.unreached = 0
        self.lock = threading.Lock()

    def change(self, running: int = 0, grade: Optional[gradebook.Grade] = None) -> None:
        with self.lock:
            self.running += running
            if grade is not None:
                self.done += 1
                self.unreached += grade.reason is not None
            self.step.update(f"{self.done}/{self.count} done · {self.running} running · "
                             f"{self.unreached} failed to connect")


def grade(roster: roster_file.Roster, plan: Plan, jobs: int) -> list:
    """Every student's Grade, in the roster's order."""
    with ui.step(f"Grading {len(roster.students)} students ({min(jobs, len(roster.students))} at a time)") as step:
        tally = _Tally(len(roster.students), step)

        def one(student):
            tally.change(running=1)
            started = time.monotonic()
            try:
                found = grade_student(student, plan)
            except Exception as err:  # one student's surprise must not cost the class its gradebook
                message = str(err).strip().splitlines()[0][:300] if str(err).strip() else type(err).__name__
                found = unchecked(student, plan, "error", STATUS[plan.lang]["broken"].format(message=message), started)
            tally.change(running=-1, grade=found)
            return found

        pool = ThreadPoolExecutor(max_workers=jobs)
        try:
            grades = list(pool.map(one, roster.students))
        except BaseException:
            pool.shutdown(wait=False, cancel_futures=True)
            raise
        pool.shutdown()
    return grades


def register_cli(commands, parents):
    """Add `swarmlab grade` to the CLI."""
    cmd = commands.add_parser("grade", parents=parents,
                              help="check every student's cluster of a roster (read-only) and write a gradebook")
    cmd.add_argument("roster", help="CSV or YAML: id,name,manager,user,port,key[,workers,become,known_hosts] "
                                    "(see fixtures/roster.example.csv)")
    cmd.add_argument("--rubric", metavar="FILE", default=str(DEFAULT_RUBRIC),
                     help="points per stage and check (default: the rubric shipped with swarmlab, 100 points)")
    cmd.add_argument("--stages", nargs="+", action="extend", choices=STAGES, metavar="STAGE",
                     help=f"stages to grade, among {', '.join(STAGES)} (default: the rubric's)")
    cmd.add_argument("--out", metavar="DIR", default="gradebook",
                     help="where to write gradebook.csv, gradebook.json, report.html, junit/ (default: ./gradebook)")
    cmd.add_argument("--jobs", type=int, default=DEFAULT_JOBS,
                     help=f"students graded at once (default: {DEFAULT_JOBS})")
    cmd.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT, metavar="S",
                     help=f"longest time one student's grading may take (default: {DEFAULT_TIMEOUT:g} s)")
    cmd.add_argument("--known-hosts", metavar="FILE",
                     help="host keys of students whose row names no known_hosts (default: ~/.ssh/known_hosts)")
    cmd.add_argument("--accept-new-host-keys", action="store_true",
                     help="record host keys met for the first time (a changed key is still refused)")
    cmd.add_argument("--lang", choices=LANGS, default="ru", help="language of messages and hints (default: ru)")
    cmd.add_argument("--record-commands", metavar="FILE",
                     help="append every command run on a student's node (JSON lines: student, node, command)")
    cmd.set_defaults(func=cmd_grade)


def cmd_grade(args) -> int:
    # paramiko logs a failed handshake as a traceback on stderr besides raising it; the raise is explained.
    logging.getLogger("paramiko").setLevel(logging.CRITICAL + 1)
    if args.jobs < 1:
        raise UsageError(f"--jobs {args.jobs}: grade at least 1 student at a time")
    if args.timeout <= 0:
        raise UsageError(f"--timeout {args.timeout:g}: give the seconds one student's grading may take")
    rubric = load_rubric(args.rubric)
    stages = rubric.select(args.stages)
    roster = roster_file.load(args.roster)
    known_hosts = Path(args.known_hosts or Path.home() / ".ssh" / "known_hosts").expanduser().resolve()
    if args.known_hosts and not known_hosts.is_file() and not args.accept_new_host_keys:
        raise UsageError(f"--known-hosts {args.known_hosts}: no such file: give an existing known_hosts file, "
                         f"or add --accept-new-host-keys to record the students' host keys in it")
    out = Path(args.out)
    existing = next(p for p in (out.absolute(), *out.absolute().parents) if p.exists())
    if not existing.is_dir() or not os.access(existing, os.W_OK | os.X_OK):
        raise UsageError(f"--out {out}: {existing} is not a folder you can write to: give another --out DIR")
    with tempfile.TemporaryDirectory(prefix="swarmlab-grade-") as workdir:
        plan = Plan(stages=stages, rubric=rubric, lang=args.lang, timeout=args.timeout, known_hosts=known_hosts,
                    accept_new_host_keys=args.accept_new_host_keys, workdir=Path(workdir),
                    mask=Masker(*lesson_passwords(LEVEL6)))
        grades = grade(roster, plan, args.jobs)
        if args.record_commands:
            with open(args.record_commands, "a") as record:
                for student in roster.students:
                    commands = plan.workdir / f"{student.id}.commands.jsonl"
                    if commands.is_file():
                        record.writelines(json.dumps({"student": student.id, **json.loads(line)}) + "\n"
                                          for line in commands.read_text().splitlines())
    book = gradebook.Gradebook(
        grades=tuple(grades), stages=stages, points={s: rubric.points[s] for s in stages}, roster=str(roster.path),
        rubric=str(rubric.path), lang=args.lang, graded_at=datetime.now(timezone.utc).isoformat(timespec="seconds"))
    gradebook.write(book, out)
    _show(book)
    ui.info(f"gradebook written to {out}/: gradebook.csv, gradebook.json, report.html, junit/<id>.xml")
    return 0


def _show(book: gradebook.Gradebook) -> None:
    table = Table(title=f"{book.roster}: {len(book.grades)} students")
    for column in ("id", "name", f"total ({gradebook.number(book.total_max)})", "status"):
        table.add_column(column)
    for g in book.grades:
        style = "green" if g.total >= book.total_max else "red" if g.reason else "yellow"
        table.add_row(escape(g.id), escape(g.name), f"[{style}]{gradebook.number(g.total)}[/{style}]", escape(g.status))
    Console(highlight=False, soft_wrap=True).print(table)
