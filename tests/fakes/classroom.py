"""A class of fake students for one run: their clusters on loopback, a roster, keys and known_hosts, and the marks
each should get.

Student i's nodes are 127.(10 + i // 256).(i % 256).1, .2, ... (manager first),
each an SSH server on `port` and a web server on port 80 answering what one
recorded state answered, with the student's own latency; some students' VMs
hang (half accept TCP and stay silent, half log in and never finish a command)
or refuse. The servers run in child processes of their own (the students
dealt among them, one process a core, as each student's VMs have CPUs of their
own), so that what a grader run costs is measured apart from what answering it
costs.

The expected total of a student is what the same rubric gives their recorded
state replayed (`swarmlab.transport.factory.replayed`), and 0 for one whose VMs hang or refuse.
"""

import csv
import multiprocessing
import os
import random
import traceback
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Optional, Sequence

from swarmlab.checks import run_checks
from swarmlab.lab import keys
from swarmlab.transport.factory import replayed
from swarmlab.transport.recording import Recording

from . import web
from .recorded import RecordedCluster
from .sshd import Misbehaviour

RECORDINGS = Path(__file__).resolve().parent.parent / "recordings"
HANGS = (Misbehaviour.SILENT, Misbehaviour.HANG_COMMAND)
READY_WITHIN = 300.0


def recording_path(state: str, engine: str = "26.1") -> Path:
    """tests/recordings' file of a state ("healthy", "drained-worker", ...) recorded on that engine."""
    path = RECORDINGS / f"{state}.{engine}.json.gz"
    if not path.is_file():
        known = sorted({p.name.split(".")[0] for p in RECORDINGS.glob(f"*.{engine}.json.gz")})
        raise ValueError(f"no recording of state {state!r} on engine {engine} (known: {', '.join(known)})")
    return path


def address(student: int, node: int) -> str:
    return f"127.{10 + student // 256}.{student % 256}.{node + 1}"


@dataclass(frozen=True)
class FakeNode:
    name: str
    role: str
    address: str
    host_key: bytes  # OpenSSH private key
    public: str  # its "ssh-ed25519 AAAA..." line


@dataclass(frozen=True)
class FakeStudent:
    id: str
    state: str  # the recorded state's name
    recording: Path
    nodes: tuple  # FakeNode, the manager first
    latency: float
    misbehaviour: Optional[Misbehaviour] = None
    number: int = 0  # in the class: what makes the student's swarm IDs their own

    @property
    def label(self) -> str:
        """What the student's cluster does: its state, or how its VMs fail."""
        return self.misbehaviour.value if self.misbehaviour else self.state


class Classroom:
    """`count` students drawn from `states` ((recording, weight) pairs), written into `folder`; `start` serves them.

    The servers run in processes of their own, spawned, so a script that starts a class needs the
    `if __name__ == "__main__":` guard."""

    def __init__(
        self,
        folder: Path,
        count: int,
        states: Sequence[tuple],
        latency: tuple = (0.05, 0.2),
        hang: int = 0,
        refuse: int = 0,
        seed: int = 0,
        port: int = 22,
    ):
        if hang + refuse > count:
            raise ValueError(f"{hang} hanging and {refuse} refusing students do not fit in a class of {count}")
        self.folder, self.port = Path(folder), port
        self.folder.mkdir(parents=True, exist_ok=True)
        self.recordings = {Path(path): Recording.load(path) for path, _ in states}
        rng = random.Random(seed)
        paths = rng.choices([Path(path) for path, _ in states], [weight for _, weight in states], k=count)
        failing = rng.sample(range(count), hang + refuse)
        failures = {index: HANGS[n % 2] for n, index in enumerate(failing[:hang])}
        failures.update({index: Misbehaviour.REFUSE for index in failing[hang:]})
        self.students = tuple(
            self._student(index, paths[index], rng.uniform(*latency), failures.get(index)) for index in range(count)
        )
        self.key = self.folder / "class_ed25519"
        self.known_hosts = self.folder / "known_hosts"
        self.roster = self.folder / "roster.csv"
        self._client = keys.ed25519("swarmlab fake class")
        self._write()
        self._servers: list = []  # (process, its control pipe)

    def _student(self, index: int, path: Path, latency: float, misbehaviour) -> FakeStudent:
        recording = self.recordings[path]
        inventory = sorted(recording.inventory["nodes"], key=lambda n: n.get("role") != "manager")
        nodes = []
        for number, node in enumerate(inventory):
            pair = keys.ed25519(node["name"])
            nodes.append(
                FakeNode(node["name"], node.get("role", "worker"), address(index, number), pair.private, pair.public)
            )
        return FakeStudent(f"s{index:04d}", recording.name, path, tuple(nodes), latency, misbehaviour, index)

    def _write(self) -> None:
        self.key.write_bytes(self._client.private)
        self.key.chmod(0o600)
        self.key.with_name(self.key.name + ".pub").write_text(self._client.public + "\n")
        known = {path: RecordedCluster(recording, {}).known for path, recording in self.recordings.items()}
        lines = [
            keys.known_hosts_line(n.address, self.port, n.public)
            for student in self.students
            for n in student.nodes
            if known[student.recording](n.name)
        ]
        self.known_hosts.write_text("".join(lines))
        with open(self.roster, "w", newline="") as out:
            writer = csv.writer(out)
            writer.writerow(["id", "name", "manager", "user", "port", "key", "workers"])
            for student in self.students:
                manager, *workers = student.nodes
                writer.writerow(
                    [
                        student.id,
                        f"Student {student.id} ({student.label})",
                        manager.address,
                        "root",
                        self.port,
                        self.key,
                        ";".join(w.address for w in workers),
                    ]
                )

    def counts(self) -> Counter:
        return Counter(student.label for student in self.students)

    def expected(self, rubric, lang: str = "en") -> dict:
        """{student id: total}: each state's replay graded by `rubric` (all its stages), 0 for failing VMs."""
        stages = tuple(rubric.points)
        totals = {}
        for path in {s.recording for s in self.students if s.misbehaviour is None}:
            with replayed(self.recordings[path]) as cluster:
                results = run_checks(cluster, stages, lang, rubric.part)
            totals[path] = sum(rubric.earned(results, stages).values())
        return {s.id: 0.0 if s.misbehaviour else totals[s.recording] for s in self.students}

    def start(self) -> "Classroom":
        context = multiprocessing.get_context("spawn")
        count = max(1, min(len(self.students), os.cpu_count() or 1))
        for number in range(count):
            control, theirs = context.Pipe()
            process = context.Process(
                target=_serve,
                args=(self.students[number::count], self._client.public, self.port, theirs),
                name=f"fake-class-{number}",
                daemon=True,
            )
            process.start()
            theirs.close()  # so that the servers' process ending is an end of this pipe
            self._servers.append((process, control))
        for process, control in self._servers:
            try:
                message = control.recv() if control.poll(READY_WITHIN) else None
            except EOFError:
                process.join()
                message = f"their process ended (exit {process.exitcode}) before saying it was ready"
            if message != "ready":
                self.stop()
                raise RuntimeError(
                    f"the fake class's servers did not start:\n{message}"
                    if message
                    else f"the fake class's servers were not ready within {READY_WITHIN:g} s"
                )
        return self

    def stop(self) -> None:
        servers, self._servers = self._servers, []
        for _, control in servers:
            try:
                control.send("stop")
            except OSError:
                pass
        for process, control in servers:
            process.join(10)
            if process.is_alive():
                process.kill()
                process.join()
            control.close()

    def __enter__(self) -> "Classroom":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def _serve(students, public: str, port: int, control) -> None:
    """The servers' process: every student's hosts until the parent says stop (or goes away)."""
    from .sshd import SSHServer
    from .web import WebServer

    ssh, pages = SSHServer(), WebServer()
    try:
        recordings = {}
        for student in students:
            if student.recording not in recordings:
                recordings[student.recording] = Recording.load(student.recording)
            recording = recordings[student.recording]
            cluster = RecordedCluster(recording, {n.name: n.address for n in student.nodes}, student.number)
            for node in student.nodes:
                ssh.add(
                    cluster.ssh_host(node.name, node.host_key, (public,), port, student.latency, student.misbehaviour)
                )
                if student.misbehaviour is Misbehaviour.SILENT:
                    pages.add(web.WebHost(node.address, web.always(web.Silent()), latency=student.latency))
                elif student.misbehaviour is not Misbehaviour.REFUSE:
                    host = cluster.web_host(node.name, student.latency)
                    if host is not None:
                        pages.add(host)
        ssh.start()
        pages.start()
    except Exception:
        control.send(traceback.format_exc())
        return
    control.send("ready")
    try:
        control.recv()
    except EOFError:
        pass
    ssh.stop()
    pages.stop()
