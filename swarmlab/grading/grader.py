"""Grading a class: every student's cluster checked read-only, scored by a rubric.

Students are graded in long-lived worker processes (pebble's pool), each
running the checks in-process for one student after another: no Python start
per student, and a student whose VMs hang is stopped at the deadline (the
worker is replaced) without holding up the class. What the checks cannot learn
from the roster (the nodes' hostnames, the workers nobody listed) comes from
the checks' own first read, so finding a cluster costs no round trip of its own.

Only the hosts the instructor named are contacted: the roster's addresses, and
a worker the swarm lists elsewhere only inside --allow-network; any other is
named in the feedback and never reached, so a student cannot choose where the
class key is offered.

Whatever a student's cluster does, grading goes on: a cluster that cannot be
reached scores 0 for what could not be checked, with the reason in plain
words, and every other student is graded as usual.
"""

import ipaddress
import re
import time
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Optional

from pebble import ProcessPool

from .. import i18n, safe, ui
from ..checking import answers
from ..checking.answers import AnswerFile
from ..checking.results import CheckFailure, CheckResult
from ..checks import QUESTIONS, judge_answers, known_checks, run_checks
from ..errors import NodeUnreachable, reason
from ..lesson.spec import LESSON_DIR, reader
from ..secrets import Masker
from ..state import reads
from ..state.readonly import ReadOnlyNode
from ..state.reads import Reader
from ..state.views import NodeView
from ..transport.base import Node
from ..transport.cluster import Cluster, parallel
from ..transport.inventory import Inventory, NodeSpec
from ..transport.recording import CommandLog, jsonl_sink
from ..transport.ssh import SSHNode
from . import gradebook
from .roster import Roster, Student
from .rubric import Rubric

CONNECT_TIMEOUT = 10.0
HOSTNAME = re.compile(r"^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$")


@dataclass(frozen=True)
class Plan:
    """How every student of one run is graded."""

    stages: tuple
    rubric: Rubric
    lang: str
    timeout: float
    known_hosts: Path
    accept_new_host_keys: bool
    mask: Masker
    record_commands: Optional[Path] = None
    allow_networks: tuple = ()  # IPv4Network: where a worker the roster does not list may be contacted
    answers: Optional[Path] = None  # the students' answer files: a folder of <id>.json, or one student's file


@dataclass
class Visit:
    """One student's cluster as the grader found it: the nodes to check, named by their hostnames, and the
    Reader that already holds what finding them read (the checks read nothing twice)."""

    cluster: Cluster
    reader: Reader


class NotContacted(Node):
    """A node the student's swarm lists at an address the instructor did not name: never contacted, and said so."""

    def __init__(self, name: str, address: str):
        self.name, self.host = name, address

    def _exec(self, command, on_out, on_err, timeout, stdin) -> int:
        raise NodeUnreachable(self.name, "not-allowed", address=self.host)


def visit(student: Student, plan: Plan) -> Visit:
    """The student's cluster: the manager the roster names, its workers as the roster lists them, or else as the
    swarm lists them where the instructor allows (--allow-network); every node read once, in parallel."""

    def spec(name, address, role="worker"):
        return NodeSpec(
            name,
            address,
            role,
            student.port,
            student.user,
            student.key,
            student.known_hosts or plan.known_hosts,
            student.become,
        )

    def reach(node: NodeSpec) -> Node:
        reached: Node = SSHNode(node, min(CONNECT_TIMEOUT, plan.timeout), plan.accept_new_host_keys)
        if plan.record_commands:
            reached = CommandLog(reached, jsonl_sink(plan.record_commands, student=student.id))
        return reached

    manager = reach(spec("manager", student.manager, "manager"))
    try:
        view = reads.read_manager_of(ReadOnlyNode(manager))
    except BaseException:
        manager.close()
        raise
    hostname = view.info.hostname if HOSTNAME.match(view.info.hostname or "") else "manager"
    manager.name = hostname
    members: dict = {}
    for node in view.nodes:  # a node that left and joined again is listed twice: keep the live one
        if node.hostname not in members or node.ready:
            members[node.hostname] = node
    if student.workers:
        listed = {address: reach(spec(address, address)) for address in student.workers}
        by_address = {n.addr: n.hostname for n in members.values()}
        hostnames = {address: by_address.get(address, f"worker-{i}") for i, address in enumerate(student.workers, 1)}
    else:
        listed, hostnames = {}, {}
        for node in members.values():
            if node.hostname == hostname or not HOSTNAME.match(node.hostname):
                continue
            address = node.addr
            listed[address] = (
                reach(spec(node.hostname, address)) if allowed(address, plan) else NotContacted(node.hostname, address)
            )
            hostnames[address] = node.hostname
    views = parallel(lambda address: reads.read_node_of(ReadOnlyNode(listed[address]), LESSON_DIR), listed)
    nodes, specs, seen, used = {hostname: manager}, [spec(hostname, student.manager, "manager")], {}, {hostname}
    for index, (address, node) in enumerate(listed.items(), 1):
        found = views[address]
        name = (
            found.info.hostname
            if isinstance(found, NodeView) and HOSTNAME.match(found.info.hostname or "")
            else hostnames[address]
        )
        name = name if name not in used else f"{name}-{index}"
        used.add(name)
        node.name = name
        nodes[name] = node
        specs.append(spec(name, address))
        seen[name] = found
    cluster = Cluster(Inventory(nodes=tuple(specs)), nodes, title=student.id)
    found_reader = reader(cluster)
    found_reader.remember(view, seen)
    return Visit(cluster, found_reader)


def allowed(address: str, plan: Plan) -> bool:
    """An address the swarm reports may be contacted only inside a network the instructor allows."""
    try:
        ip = ipaddress.IPv4Address(address)
    except ValueError:
        return False
    return any(ip in network for network in plan.allow_networks)


def grade_student(student: Student, plan: Plan) -> gradebook.Grade:
    """Find the student's cluster, run the checks against what was read, score them."""
    started = time.monotonic()
    try:
        found = visit(student, plan)
    except NodeUnreachable as err:
        message = CheckFailure("init.unreachable", node="manager", reason=reason(err, plan.lang)).render(plan.lang)[0]
        return unchecked(
            student,
            plan,
            err.reason,
            i18n.tr("grade.unreached", plan.lang, message=safe.plain(message)),
            started,
            safe.plain(message),
            i18n.tr("grade.reach", plan.lang),
        )
    kept, refused = handed_in(student, plan)
    with found.cluster:
        results = run_checks(found.reader, plan.stages, plan.lang, plan.rubric.part)
        identity = found.reader.manager().identity
        verdicts, truths = (
            judge_answers(found.reader, kept.values(), plan.lang, plan.rubric.part) if plan.answers else ((), {})
        )
    failed = next((r for r in results if r.outcome == "failed"), None)
    status = (
        i18n.tr("grade.all", plan.lang)
        if failed is None
        else i18n.tr(
            "grade.some",
            plan.lang,
            passed=sum(r.outcome == "passed" for r in results),
            count=len(results),
            stage=failed.stage,
            message=failed.message,
        )
    )
    graded = score(student, plan, results, status, None, started, {**identity, "address": student.manager})
    return replace(
        graded,
        answers=tuple(replace(v, message=plan.mask(v.message), hint=plan.mask(v.hint)) for v in verdicts),
        answered=plan.rubric.answered(verdicts),
        answers_refused=refused,
        answered_on=tuple(sorted(kept.clusters())),
        truths=truths,
    )


def handed_in(student: Student, plan: Plan) -> tuple:
    """(the student's AnswerFile, why it was refused or ""): none handed in is no answer; a file that is not an
    answer file is refused for this student alone, in one line, and the class is graded as usual."""
    if plan.answers is None:
        return AnswerFile(Path(answers.NAME)), ""
    path = plan.answers / f"{student.id}.json" if plan.answers.is_dir() else plan.answers
    try:
        return answers.load(path, QUESTIONS), ""
    except answers.AnswerFileError as err:
        return AnswerFile(path), safe.one_line(str(err))[:300]


def unchecked(
    student: Student, plan: Plan, reason: str, status: str, started: float, message: str = "", hint: str = ""
) -> gradebook.Grade:
    """A student whose checks could not run: every check of the graded stages is reported as not checked."""
    checks = known_checks(plan.rubric.part)
    results = [
        CheckResult(stage, check, "blocked", message or status, hint)
        for stage in plan.stages
        for check in checks.get(stage, ())
    ]
    return score(student, plan, results, status, reason, started)


def score(
    student: Student,
    plan: Plan,
    results,
    status: str,
    reason: Optional[str],
    started: float,
    identity: Optional[dict] = None,
) -> gradebook.Grade:
    mask = plan.mask
    results = tuple(
        replace(r, message=mask(r.message), hint=mask(r.hint), evidence=[mask(e) for e in r.evidence]) for r in results
    )
    return gradebook.Grade(
        id=student.id,
        name=student.name,
        manager=student.manager,
        user=student.user,
        results=results,
        earned=plan.rubric.earned(results, plan.stages),
        status=mask(status),
        reason=reason,
        seconds=time.monotonic() - started,
        student=student,
        identity=identity or {"address": student.manager},
    )


def _worker(student: Student, plan: Plan) -> gradebook.Grade:
    try:
        return grade_student(student, plan)
    except Exception as err:  # one student's surprise must not cost the class its gradebook
        message = str(err).strip().splitlines()[0][:300] if str(err).strip() else type(err).__name__
        return unchecked(student, plan, "error", i18n.tr("grade.broken", plan.lang, message=message), time.monotonic())


def grade(roster: Roster, plan: Plan, jobs: int, on_grade=None) -> list:
    """Every student's Grade, in the roster's order."""
    count = len(roster.students)
    with ui.step(f"Grading {count} students ({min(jobs, count)} at a time)") as step:
        done = []
        step.update(f"0/{count} done")
        with ProcessPool(max_workers=min(jobs, count)) as pool:
            futures = [
                (student, pool.schedule(_worker, (student, plan), timeout=plan.timeout)) for student in roster.students
            ]
            grades = []
            for student, future in futures:
                try:
                    found = future.result()
                except FutureTimeout:
                    found = unchecked(
                        student,
                        plan,
                        "timeout",
                        i18n.tr("grade.late", plan.lang, timeout=f"{plan.timeout:g}"),
                        time.monotonic(),
                    )
                grades.append(found)
                done.append(found)
                unreached = sum(g.reason is not None for g in done)
                step.update(f"{len(done)}/{count} done · {unreached} not reached")
                if on_grade:
                    on_grade(found)
    return grades
