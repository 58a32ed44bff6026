"""Grading a class: every student's cluster checked read-only, scored by a rubric.

Students are graded in long-lived worker processes (pebble's pool), each
running the checks in-process for one student after another: no Python and
pytest start per student, and a student whose VMs hang is stopped at the
deadline (the worker is replaced) without holding up the class. What the
checks cannot learn from the roster (the nodes' hostnames, the workers nobody
listed) is read first from the manager in one round trip.

Whatever a student's cluster does, grading goes on: a cluster that cannot be
reached scores 0 for what could not be checked, with the reason in plain
words, and every other student is graded as usual.
"""

import time
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Optional

from pebble import ProcessPool

from .. import i18n, ui
from ..checking.results import CheckFailure, CheckResult
from ..checks import known_checks, run_checks
from ..errors import NodeUnreachable, reason
from ..lesson.spec import LESSON_DIR
from ..secrets import Masker
from ..state import reads
from ..transport.cluster import Cluster
from ..transport.factory import Access, Source, open_cluster
from ..transport.inventory import Inventory, NodeSpec
from . import gradebook
from .roster import Roster, Student
from .rubric import Rubric

CONNECT_TIMEOUT = 10.0


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


def connect(student: Student, plan: Plan, nodes) -> Cluster:
    access = Access(
        timeout=min(CONNECT_TIMEOUT, plan.timeout),
        accept_new_host_keys=plan.accept_new_host_keys,
        record_commands=plan.record_commands,
        log_fields={"student": student.id},
    )
    return open_cluster(Source(nodes=Inventory(nodes=tuple(nodes))), access)


def discover(student: Student, plan: Plan) -> Inventory:
    """The student's inventory: nodes named by their hostnames, workers as listed or as the swarm knows them."""

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

    manager = spec("manager", student.manager, "manager")
    with connect(student, plan, [manager]) as cluster:
        view = reads.read_manager(cluster)
    hostname = view.info.hostname or "manager"
    members = {}
    for node in view.nodes:  # a node that left and joined again is listed twice: keep the live one
        if node.hostname not in members or node.ready:
            members[node.hostname] = node
    if not student.workers:
        workers = [spec(n.hostname, n.addr) for n in members.values() if n.hostname != hostname]
        return Inventory(nodes=(replace(manager, name=hostname), *workers))
    by_address = {n.addr: n.hostname for n in members.values()}
    with connect(student, plan, [spec(address, address) for address in student.workers]) as cluster:
        views = reads.read_nodes(cluster, LESSON_DIR)
    workers, used = [], {hostname}
    for index, address in enumerate(student.workers, 1):
        found = views[address]
        name = (
            found.info.hostname
            if isinstance(found, reads.NodeView) and found.info.hostname
            else by_address.get(address, f"worker-{index}")
        )  # unreachable: the checks will say so under this name
        name = name if name not in used else f"{name}-{index}"
        used.add(name)
        workers.append(spec(name, address))
    return Inventory(nodes=(replace(manager, name=hostname), *workers))


def grade_student(student: Student, plan: Plan) -> gradebook.Grade:
    """Discover the student's cluster, run the checks against it, score them."""
    started = time.monotonic()
    try:
        inv = discover(student, plan)
    except NodeUnreachable as err:
        message = CheckFailure("init.unreachable", node="manager", reason=reason(err, plan.lang)).render(plan.lang)[0]
        return unchecked(
            student,
            plan,
            err.reason,
            i18n.tr("grade.unreached", plan.lang, message=message),
            started,
            message,
            i18n.tr("grade.reach", plan.lang),
        )
    with connect(student, plan, inv.nodes) as cluster:
        results = run_checks(cluster, plan.stages, plan.lang, plan.rubric.part)
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
    return score(student, plan, results, status, None, started)


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


def score(student: Student, plan: Plan, results, status: str, reason: Optional[str], started: float) -> gradebook.Grade:
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
