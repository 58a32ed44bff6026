"""A whole class graded for real against fake students: the time, the memory and every wrong mark.

    python bench/class.py --students N [--latency 50-200] [--hang K] [--refuse K] [--jobs J] [--seed S]
                          [--states healthy,drained-worker:2,...] [--engine 26.1] [--timeout S]

No lab: each student's nodes are fake hosts on loopback (tests/fakes) that
answer exactly what one recorded state of tests/recordings answered, over real
SSH and HTTP, each student with a latency of their own (milliseconds, drawn
from --latency); --hang students' VMs accept and never answer (half at the
handshake, half at the first command), --refuse students' refuse. The servers
run in a process of their own, so the figures are the real `swarmlab grade`'s
(a subprocess, with the roster, key and known_hosts the class wrote) at a
network's pace. Without --states, every state of --engine is drawn, healthy as
often as all the faults together; `state:weight` changes a state's weight.

A student's right total is their state's replay graded by the same rubric (0
for hanging or refusing VMs): any other total is a wrong mark, and listed. The
peak RSS is the sum over the grade process and all its descendants, read from
/proc every 0.2 s; the largest single process (getrusage's ru_maxrss of the
children) is printed beside it.
"""

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from swarmlab.grading import DEFAULT_JOBS, rubric  # noqa: E402
from tests.fakes.classroom import RECORDINGS, Classroom, recording_path  # noqa: E402

SWARMLAB = str(Path(sys.executable).parent / "swarmlab")
POLL = 0.2


def states(text: str, engine: str) -> list:
    """[(recording, weight)] from "healthy,drained-worker:2"; every state of the engine when empty."""
    if not text:
        faults = sorted({p.name.split(".")[0] for p in RECORDINGS.glob(f"*.{engine}.json.gz")} - {"healthy"})
        return [(recording_path("healthy", engine), len(faults))] + [(recording_path(f, engine), 1) for f in faults]
    found = []
    for item in text.split(","):
        name, _, weight = item.strip().partition(":")
        found.append((recording_path(name, engine), float(weight or 1)))
    return found


def tree_rss(pid: int) -> int:
    """Bytes resident in `pid` and every descendant of it, now."""
    total, pending = 0, [pid]
    while pending:
        current = pending.pop()
        try:
            status = Path(f"/proc/{current}/status").read_text()
            total += next(int(line.split()[1]) * 1024 for line in status.splitlines() if line.startswith("VmRSS:"))
            for task in Path(f"/proc/{current}/task").iterdir():
                pending += [int(child) for child in (task / "children").read_text().split()]
        except (OSError, StopIteration):
            continue  # gone, or a zombie without memory
    return total


def graded(command: list) -> tuple:
    """(seconds, peak RSS of the process tree, the largest process's peak RSS, CPU seconds) of one run."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.monotonic()
    process = subprocess.Popen(
        command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    peak = [0]

    def poll():
        while process.poll() is None:
            peak[0] = max(peak[0], tree_rss(process.pid))
            time.sleep(POLL)

    watcher = threading.Thread(target=poll, daemon=True)
    watcher.start()
    out, err = process.communicate()
    seconds = time.monotonic() - started
    watcher.join()
    if process.returncode != 0:
        sys.exit(f"bench: swarmlab grade failed (exit {process.returncode}): {(err or out).strip()[-800:]}")
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    return seconds, peak[0], after.ru_maxrss * 1024, cpu


def milliseconds(text: str) -> tuple:
    low, _, high = text.partition("-")
    return float(low) / 1000, float(high or low) / 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--students", type=int, required=True)
    parser.add_argument("--latency", default="50-200", help="each student's round trip, ms: LOW-HIGH or one value")
    parser.add_argument("--hang", type=int, default=0, help="students whose VMs accept and never answer")
    parser.add_argument("--refuse", type=int, default=0, help="students whose VMs refuse connections")
    parser.add_argument("--jobs", type=int, default=DEFAULT_JOBS)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--states", default="", help="recorded states, comma-separated, each with :weight if wanted")
    parser.add_argument("--engine", default="26.1", help="whose recordings to serve (28.5, 26.1 or 20.10)")
    parser.add_argument("--timeout", type=float, help="passed to swarmlab grade (default: its own)")
    args = parser.parse_args()
    marks = rubric.load(rubric.default(1))
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        room = Classroom(
            folder / "class",
            args.students,
            states(args.states, args.engine),
            milliseconds(args.latency),
            args.hang,
            args.refuse,
            args.seed,
        )
        expected = room.expected(marks)
        command = [
            SWARMLAB,
            "grade",
            str(room.roster),
            "--out",
            str(folder / "out"),
            "--known-hosts",
            str(room.known_hosts),
            "--jobs",
            str(args.jobs),
            "--lang",
            "en",
            "-q",
        ]
        if args.timeout:
            command += ["--timeout", f"{args.timeout:g}"]
        with room:
            seconds, peak, largest, cpu = graded(command)
        students = json.loads((folder / "out" / "gradebook.json").read_text())["students"]
    labels = {s.id: s.label for s in room.students}
    wrong = [s for s in students if abs(s["total"] - expected[s["id"]]) > 0.01]
    print(
        f"swarmlab grade of {args.students} fake students (--jobs {args.jobs}, latency {args.latency} ms, "
        f"seed {args.seed}, {args.engine} recordings), servers in processes of their own:"
    )
    right = {}
    for student in room.students:
        right.setdefault(student.label, expected[student.id])
    for label, count in sorted(room.counts().items(), key=lambda item: (-item[1], item[0])):
        print(f"  {label:28s} {count:4d} students, right total {right[label]:g}")
    per_student = [s["seconds"] for s in students]
    print(
        f"  seconds per student (the gradebook's): median {statistics.median(per_student):.1f}, "
        f"max {max(per_student):.1f}"
    )
    print(
        f"  CPU of the grade process tree: {cpu:.1f} s ({cpu / args.students:.2f} s per student), "
        f"{os.cpu_count()} cores"
    )
    print(
        f"  largest single process (ru_maxrss): {largest / 2**20:.0f} MiB; peak RSS below: the sum over the "
        f"grade process tree, /proc every {POLL:g} s"
    )
    flagged = sum(bool(s["integrity"]) for s in students)
    print(f"  students flagged as sharing a cluster: {flagged} (each fake student's swarm has IDs of its own)")
    print(f"  wrong marks: {len(wrong)}")
    for s in wrong:
        print(
            f"    {s['id']} ({labels[s['id']]}): {s['total']:g}, expected {expected[s['id']]:g}: "
            f"{s['reason'] or ''} {s['status'][:200]}"
        )
    print(
        f"{args.students} students graded in {seconds:.1f} s, peak RSS {peak / 2**20:.0f} MiB, {len(wrong)} wrong marks"
    )
    sys.exit(1 if wrong else 0)


if __name__ == "__main__":
    main()
