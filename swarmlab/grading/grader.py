"""Grading a class: every student's cluster checked read-only, scored by a rubric.

Students are graded many at once, each in a thread of one of a few grading
processes (one per core): a student's grading is almost all waiting on the
network, so a class takes about as long as its slowest student, not as long as
all of them; a student whose VMs hang is given up at the deadline, their
connections closed, without holding up the class. What the checks cannot learn
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
import multiprocessing
import re
import threading
import time
from dataclasses import dataclass, replace
from multiprocessing import connection
from pathlib import Path
from typing import Optional

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
from . import gradebook, usable_cores
from .roster import Roster, Student
from .rubric import Rubric

CONNECT_TIMEOUT = 10.0
# The first reads are docker's own state, no network: a loaded VM answers them in seconds, so a manager that has not
# in this long is hung, and the class is not held up by it for a check's full minute.
FIRST_READ_TIMEOUT = 20.0
STALL = 30.0  # seconds past its deadline a grading process may stay silent before it is killed
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


class Deadline:
    """One student's deadline: the nodes reached for them wait no command past it, refuse every command after it,
    and are closed at it, so that nothing a late student's thread waits on outlives it."""

    def __init__(self, at: float):
        self.at = at
        self.nodes: list = []

    def left(self) -> float:
        return max(0.0, self.at - time.monotonic())

    def passed(self) -> bool:
        return time.monotonic() >= self.at

    def bound(self, node: Node) -> Node:
        bounded = Bounded(node, self)
        self.nodes.append(bounded)
        return bounded

    def expire(self) -> None:
        for node in list(self.nodes):
            node.close()


class Bounded(Node):
    def __init__(self, inner: Node, deadline: Deadline):
        self.inner, self.deadline, self.name = inner, deadline, inner.name

    def _exec(self, command, on_out, on_err, timeout, stdin) -> int:
        left = self.deadline.left()
        if left <= 0:
            raise NodeUnreachable(self.name, "command-timeout", command=command.strip()[:60], timeout=f"{timeout:g}")
        return self.inner._exec(command, on_out, on_err, min(timeout, left), stdin)

    def close(self) -> None:
        self.inner.close()

    def address(self):
        return self.inner.address()


class NotContacted(Node):
    """A node the student's swarm lists at an address the instructor did not name: never contacted, and said so."""

    def __init__(self, name: str, address: str):
        self.name, self.host = name, address

    def _exec(self, command, on_out, on_err, timeout, stdin) -> int:
        raise NodeUnreachable(self.name, "not-allowed", address=self.host)


def visit(student: Student, plan: Plan, deadline: Deadline) -> Visit:
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
        return deadline.bound(reached)

    manager = reach(spec("manager", student.manager, "manager"))
    try:
        view = reads.read_manager_of(ReadOnlyNode(manager), FIRST_READ_TIMEOUT)
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
    views = parallel(
        lambda address: reads.read_node_of(ReadOnlyNode(listed[address]), LESSON_DIR, FIRST_READ_TIMEOUT), listed
    )
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


def grade_student(student: Student, plan: Plan, deadline: Optional[Deadline] = None) -> gradebook.Grade:
    """Find the student's cluster, run the checks against what was read, score them."""
    started = time.monotonic()
    try:
        found = visit(student, plan, deadline or Deadline(started + plan.timeout))
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


def _worker(student: Student, plan: Plan, deadline: "Deadline") -> gradebook.Grade:
    try:
        return grade_student(student, plan, deadline)
    except Exception as err:  # one student's surprise must not cost the class its gradebook
        message = str(err).strip().splitlines()[0][:300] if str(err).strip() else type(err).__name__
        return unchecked(student, plan, "error", i18n.tr("grade.broken", plan.lang, message=message), time.monotonic())


def late(student: Student, plan: Plan) -> gradebook.Grade:
    return unchecked(
        student, plan, "timeout", i18n.tr("grade.late", plan.lang, timeout=f"{plan.timeout:g}"), time.monotonic()
    )


def processes(jobs: int, count: int) -> int:
    """As many grading processes as the cores this one may use: the checks' CPU is Python's, one core a process."""
    return max(1, min(jobs, count, usable_cores()))


def grade(roster: Roster, plan: Plan, jobs: int, on_grade=None) -> list:
    """Every student's Grade, in the roster's order; `on_grade` sees each as it is done."""
    count = len(roster.students)
    grades: list = [None] * count
    if not count:
        return grades
    at_once = min(jobs, count)
    workers = processes(jobs, count)
    done = unreached = 0
    with (
        Workers(plan, workers, -(-at_once // workers)) as pool,
        ui.step(f"Grading {count} students ({at_once} at a time)") as step,
    ):
        step.update(f"0/{count} done")
        for index, found in pool.graded(roster.students):
            grades[index] = found
            done, unreached = done + 1, unreached + (found.reason is not None)
            step.update(f"{done}/{count} done · {unreached} not reached")
            if on_grade:
                on_grade(found)
    return grades


class Workers:
    """Grading processes, each grading up to `slots` students at once, one thread each: a student mostly waits on
    the network, so a class's time is its slowest student's, not the sum of them, and the memory is the few
    processes' plus what each student in flight holds.

    A student past the deadline is reported late by its process, which closes the student's connections so that
    whatever it waits on ends; a process that stops answering for longer than any of its students may take is
    killed, and a process that dies is replaced, its students reported as it left them."""

    def __init__(self, plan: Plan, count: int, slots: int):
        self.plan, self.count, self.slots = plan, count, slots
        self._context = multiprocessing.get_context("fork")  # the parent's imports, already done, are shared
        self._workers: dict = {}  # Connection -> [Process, {index: (student, sent at)}]

    def __enter__(self) -> "Workers":
        for _ in range(self.count):
            self._start()
        return self

    def __exit__(self, kind, *exc) -> None:
        """Ctrl-C or an error kills the processes at once: their students' grades would be thrown away."""
        for conn, (process, _) in list(self._workers.items()):
            self._stop(conn, process, kill=kind is not None)

    def _start(self) -> None:
        ours, theirs = self._context.Pipe()
        process = self._context.Process(target=_serve, args=(theirs, self.plan), daemon=True)
        process.start()
        theirs.close()
        self._workers[ours] = [process, {}]

    def _stop(self, conn, process, kill: bool = False) -> None:
        del self._workers[conn]
        if not kill:
            try:
                conn.send(None)
                process.join(STALL)
            except OSError:
                pass
        if process.is_alive():
            process.kill()
            process.join()
        conn.close()

    def graded(self, students):
        """(index, Grade) of every student, as they are done."""
        waiting = list(enumerate(students))[::-1]
        left = len(waiting)
        while left:
            for conn, (_, flight) in self._workers.items():
                while waiting and len(flight) < self.slots:
                    index, student = waiting.pop()
                    conn.send((index, student))
                    flight[index] = (student, time.monotonic())
            ready = connection.wait([*self._workers, *(p.sentinel for p, _ in self._workers.values())], STALL)
            for conn in [c for c in self._workers if c in ready]:
                try:
                    index, found = conn.recv()
                except (EOFError, OSError):
                    continue  # the process ended: its sentinel says so below
                self._workers[conn][1].pop(index)
                left -= 1
                yield index, found
            now = time.monotonic()
            for conn, (process, flight) in list(self._workers.items()):
                stuck = any(now - sent > self.plan.timeout + STALL for _, sent in flight.values())
                if process.is_alive() and not stuck:
                    continue
                self._stop(conn, process, kill=True)
                self._start()
                for index, (student, _) in sorted(flight.items()):
                    left -= 1
                    yield index, late(student, self.plan) if stuck else ended(student, self.plan, process.exitcode)


def ended(student: Student, plan: Plan, code) -> gradebook.Grade:
    message = f"the grading process ended (exit {code})"
    return unchecked(student, plan, "error", i18n.tr("grade.broken", plan.lang, message=message), time.monotonic())


def _serve(conn, plan: Plan) -> None:
    """One grading process: each student the parent sends graded in a thread of its own, and their Grade sent back
    once: the thread's if it finished in time, else a late one at the deadline (when the student's connections are
    closed, so that the thread ends soon too)."""
    lock = threading.Lock()
    flight: dict = {}  # index -> (Student, Deadline)
    parent = multiprocessing.parent_process()
    assert parent is not None

    def send(index: int, found: gradebook.Grade) -> None:
        with lock:
            if flight.pop(index, None) is not None:
                conn.send((index, found))

    def run(index: int, student: Student, deadline: Deadline) -> None:
        found = _worker(student, plan, deadline)
        send(index, found if not deadline.passed() else late(student, plan))

    try:
        while True:
            with lock:
                waits = [(deadline, i, student) for i, (student, deadline) in flight.items()]
            for deadline, index, student in waits:
                if deadline.passed():
                    deadline.expire()
                    send(index, late(student, plan))
            soonest = min((deadline.left() for deadline, _, _ in waits if not deadline.passed()), default=STALL)
            # every process holds its siblings' and its own parent ends of the pipes (fork): only the parent's
            # sentinel says for sure that the parent is gone
            ready = connection.wait([conn, parent.sentinel], soonest)
            if parent.sentinel in ready:
                return
            if not ready:
                continue
            task = conn.recv()
            if task is None:
                return
            index, student = task
            deadline = Deadline(time.monotonic() + plan.timeout)
            with lock:
                flight[index] = (student, deadline)
            threading.Thread(target=run, args=(index, student, deadline), name=student.id, daemon=True).start()
    except (KeyboardInterrupt, EOFError, BrokenPipeError):
        return
