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
"""

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from swarmlab import ui
from swarmlab.grading import DEFAULT_JOBS
from swarmlab.lab.lab import Lab
from swarmlab.lesson.driver import Lesson
from swarmlab.transport import inventory
from swarmlab.transport.cluster import Cluster

NAME = "swarmlab-test-grade-bench"
SWARMLAB = str(Path(sys.executable).parent / "swarmlab")


def roster(lab: Lab, count: int, folder: Path) -> Path:
    inv = inventory.load(lab.inventory_path)
    workers = ";".join(node.address for node in inv.workers)
    rows = [f"s{i:02d},Student {i},{inv.manager.address},root,22,{lab.key_path},{workers if i % 3 == 0 else ''},,"
            f"{lab.known_hosts_path}" for i in range(1, count + 1)]
    path = folder / f"class-{count}.csv"
    path.write_text("id,name,manager,user,port,key,workers,become,known_hosts\n" + "\n".join(rows) + "\n")
    return path


def timed(path: Path, out: Path, *args) -> tuple:
    """Seconds for one `swarmlab grade` run, and the statuses of the students it did not give 100."""
    started = time.monotonic()
    done = subprocess.run([SWARMLAB, "grade", str(path), "--out", str(out), "-q", *args], capture_output=True,
                          text=True, stdin=subprocess.DEVNULL)
    seconds = time.monotonic() - started
    if done.returncode != 0:
        sys.exit(f"bench: swarmlab grade failed: {done.stderr.strip()[-500:]}")
    students = json.loads((out / "gradebook.json").read_text())["students"]
    return seconds, [f"{s['id']}: {s['total']:g}, {s['status'][:160]}" for s in students if s["total"] != 100]


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
            with Cluster.over_ssh(lab.up(nodes=3)) as cluster:
                Lesson(cluster).run()
        with tempfile.TemporaryDirectory() as folder:
            folder = Path(folder)
            one, many = roster(lab, 1, folder), roster(lab, args.students, folder)
            times = {"1 student": [], f"{args.students}, --jobs 1": [], f"{args.students}, default jobs": []}
            runs = [(one, "1 student", ()), (many, f"{args.students}, --jobs 1", ("--jobs", "1")),
                    (many, f"{args.students}, default jobs", ())]
            short = []
            for _ in range(args.runs):
                for path, key, extra in runs:
                    seconds, wrong = timed(path, folder / "out", *extra)
                    times[key].append(seconds)
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
    print(f"  marks below 100 (the lab is converged, so each is a grading error): {len(short)} of {graded}")
    for line in short:
        print(f"    {line}")


if __name__ == "__main__":
    main()
