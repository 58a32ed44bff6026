"""A class of 30 graded against one lab: with --jobs 1, with the default, and one student alone.

    python bench/grade.py [--students 30] [--runs 3] [--lab NAME]

Without --lab it starts a 3-node lab of its own, runs the lesson on it and
removes it at the end; with --lab it grades that (converged) lab and leaves it.
Every roster entry points at the same cluster (workers found on the manager;
every third entry lists them), so the figures measure the grader, not the
students. The baseline, measured in the same run, is one student graded alone:
the goal is a class in at most 3x that time. Each figure is the median of
--runs end-to-end `swarmlab grade` runs.
"""

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from labs import grading, inventory, ui  # noqa: E402
from labs.cluster import Cluster  # noqa: E402
from labs.lab import Lab  # noqa: E402
from labs.lesson import Lesson  # noqa: E402

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


def timed(path: Path, out: Path, *args) -> float:
    started = time.monotonic()
    done = subprocess.run([SWARMLAB, "grade", str(path), "--out", str(out), "-q", *args], capture_output=True,
                          text=True, stdin=subprocess.DEVNULL)
    seconds = time.monotonic() - started
    if done.returncode != 0:
        sys.exit(f"bench: swarmlab grade failed: {done.stderr.strip()[-500:]}")
    marks = {s["total"] for s in json.loads((out / "gradebook.json").read_text())["students"]}
    if marks != {100}:
        sys.exit(f"bench: the lab is not converged (marks {sorted(marks)}): the figures would mean nothing")
    return seconds


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
            with Cluster(lab.up(nodes=3)) as cluster:
                Lesson(cluster).run()
        with tempfile.TemporaryDirectory() as folder:
            folder = Path(folder)
            one, many = roster(lab, 1, folder), roster(lab, args.students, folder)
            times = {"1 student": [], f"{args.students}, --jobs 1": [], f"{args.students}, default jobs": []}
            for _ in range(args.runs):
                times["1 student"].append(timed(one, folder / "one"))
                times[f"{args.students}, --jobs 1"].append(timed(many, folder / "serial", "--jobs", "1"))
                times[f"{args.students}, default jobs"].append(timed(many, folder / "parallel"))
    finally:
        if not args.lab:
            lab.down()
    median = {key: statistics.median(values) for key, values in times.items()}
    base, serial, parallel = median.values()
    print(f"swarmlab grade against one 3-node lab (median of {args.runs}, default --jobs {grading.DEFAULT_JOBS}):")
    for key, value in median.items():
        print(f"  {key:24s} {value:6.1f} s")
    print(f"  {args.students} students / 1 student (goal <= 3x): {parallel / base:.1f}x")
    print(f"  --jobs 1 / default jobs (speed-up):  {serial / parallel:.1f}x")


if __name__ == "__main__":
    main()
