"""A class of 30 graded against one lab: with --jobs 1, with the default, and one student alone.

    python bench/grade.py [--students 30] [--runs 3] [--lab NAME]

Without --lab it starts a 3-node lab of its own, runs the lesson on it and
removes it at the end; with --lab it grades that (converged) lab and leaves it.
Every roster entry points at the same cluster (workers found on the manager;
every third entry lists them), so the figures measure the grader, not the
students. The baseline, measured in the same run, is one student graded alone:
the goal is a class in at most 3x that time. Each figure is the median of
--runs end-to-end `swarmlab grade` runs. Since the lab is converged, every
mark below 100 is a grading error, and is listed with its status.

Beside the times it prints the CPU each student cost this machine (all of it,
from /proc/stat) and the grader's share of it (the grade process and its
children): what is left is the lab's engines answering, which a real class's
VMs would do elsewhere, so it says whether the machine or the grader bounds
the class's time.
"""

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from swarmlab import checks, ui
from swarmlab.grading import DEFAULT_JOBS
from swarmlab.lab.lab import Lab
from swarmlab.lesson.driver import Lesson
from swarmlab.transport import inventory
from swarmlab.transport.factory import over_ssh

NAME = "swarmlab-test-grade-bench"
SWARMLAB = str(Path(sys.executable).parent / "swarmlab")


def roster(lab: Lab, count: int, folder: Path) -> Path:
    inv = inventory.load(lab.inventory_path)
    workers = ";".join(node.address for node in inv.workers)
    rows = [
        f"s{i:02d},Student {i},{inv.manager.address},root,22,{lab.key_path},{workers if i % 3 == 0 else ''},,"
        f"{lab.known_hosts_path}"
        for i in range(1, count + 1)
    ]
    path = folder / f"class-{count}.csv"
    path.write_text("id,name,manager,user,port,key,workers,become,known_hosts\n" + "\n".join(rows) + "\n")
    return path


def busy_seconds() -> float:
    """CPU seconds this machine has spent busy (every core, anything but idle and iowait)."""
    fields = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    return (sum(fields) - fields[3] - fields[4]) / os.sysconf("SC_CLK_TCK")


def children_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(path: Path, out: Path, *args) -> tuple:
    """Seconds for one `swarmlab grade` run, the CPU seconds it cost (the machine's, the grader's), and the
    statuses of the students it did not give 100."""
    started, busy, own = time.monotonic(), busy_seconds(), children_seconds()
    done = subprocess.run(
        [SWARMLAB, "grade", str(path), "--out", str(out), "-q", *args],
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
    )
    seconds = time.monotonic() - started
    cpu = (busy_seconds() - busy, children_seconds() - own)
    if done.returncode != 0:
        sys.exit(f"bench: swarmlab grade failed: {done.stderr.strip()[-500:]}")
    students = json.loads((out / "gradebook.json").read_text())["students"]
    return seconds, cpu, [f"{s['id']}: {s['total']:g}, {s['status'][:160]}" for s in students if s["total"] != 100]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--students", type=int, default=30)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--lab", help="grade this running, converged lab instead of starting one")
    args = parser.parse_args()
    ui.set_quiet(True)
    lab = Lab(args.lab or NAME)
    try:
        if not args.lab:
            lab.down()
            with over_ssh(lab.up(nodes=3)) as cluster:
                Lesson(cluster, judge=checks.judge()).run()
        with tempfile.TemporaryDirectory() as folder:
            folder = Path(folder)
            one, many = roster(lab, 1, folder), roster(lab, args.students, folder)
            times = {"1 student": [], f"{args.students}, --jobs 1": [], f"{args.students}, default jobs": []}
            cpus = {key: [] for key in times}
            runs = [
                (one, "1 student", ()),
                (many, f"{args.students}, --jobs 1", ("--jobs", "1")),
                (many, f"{args.students}, default jobs", ()),
            ]
            short = []
            for _ in range(args.runs):
                for path, key, extra in runs:
                    seconds, cpu, wrong = timed(path, folder / "out", *extra)
                    times[key].append(seconds)
                    cpus[key].append(cpu)
                    short += [f"{key}: {line}" for line in wrong]
    finally:
        if not args.lab:
            lab.down()
    median = {key: statistics.median(values) for key, values in times.items()}
    base, serial, parallel = median.values()
    print(f"swarmlab grade against one 3-node lab (median of {args.runs}, default --jobs {DEFAULT_JOBS}):")
    for key, value in median.items():
        print(f"  {key:24s} {value:6.1f} s")
    print(f"  {args.students} students / 1 student (goal <= 3x): {parallel / base:.1f}x")
    print(f"  --jobs 1 / default jobs (speed-up):  {serial / parallel:.1f}x")
    graded = args.runs * (1 + 2 * args.students)
    print("  CPU per student (median), this machine in all / the grader's share:")
    for (key, values), count in zip(cpus.items(), (1, args.students, args.students)):
        total = statistics.median(machine for machine, _ in values) / count
        grader = statistics.median(own for _, own in values) / count
        print(f"    {key:22s} {total:5.2f} s / {grader:5.2f} s, {os.cpu_count()} cores")
    print(f"  marks below 100 (the lab is converged, so each is a grading error): {len(short)} of {graded}")
    for line in short:
        print(f"    {line}")


if __name__ == "__main__":
    main()
