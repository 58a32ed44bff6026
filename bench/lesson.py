"""From a fresh lab to a converged, serving cluster: total and per step.

    python bench/lesson.py [--runs 3]

Each run starts from a new lab (warm image cache) and times `Lesson.run`.
The baseline, measured in the same run on the same swarm, is the deploy done
the plainest way: the three stacks removed, then `docker stack deploy` of the
three files back to back in one SSH call, then polling every node's page until
it lists the posts (the db volume is kept). It is the cluster's own time to
converge, without the driver's checks and waits.
"""

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import requests  # noqa: E402

from labs import inventory, pages, swarm, ui  # noqa: E402
from labs.cluster import Cluster  # noqa: E402
from labs.lab import Lab  # noqa: E402
from labs.lesson import COMPOSE, Lesson  # noqa: E402

NAME = "swarmlab-bench"


def serves_posts(address: str) -> bool:
    try:
        page = pages.fetch(address)
    except requests.RequestException:
        return False
    return page.status == 200 and bool(page.posts)


def one_run(lab: Lab, lesson_order: bool) -> dict:
    lab.down()
    lab.up(nodes=3)
    times = {}
    with Cluster(inventory.load(lab.inventory_path)) as cluster:
        lesson = Lesson(cluster)
        last = time.monotonic()
        started = last

        def on_step(result):
            nonlocal last
            now = time.monotonic()
            times[result.step] = now - last
            last = now

        lesson.run(lesson_order=lesson_order, on_step=on_step)
        times["converge"] = time.monotonic() - last
        times["total"] = time.monotonic() - started
        env = " ".join(f"{k}={v}" for k, v in lesson.deploy_env().items())
        cluster.run("manager", "docker stack rm edge core storage")
        while any(c.service for v in swarm.read_nodes(cluster).values() for c in v.containers):
            time.sleep(1)
        plain = time.monotonic()
        cluster.run("manager", " && ".join(
            f"cd {COMPOSE} && {env} docker stack deploy -c ./{s}.yaml {s}" for s in ("storage", "core", "edge")))
        while not all(serves_posts(node.address) for node in cluster.inventory.nodes):
            time.sleep(0.5)
        times["baseline: plain deploy"] = time.monotonic() - plain
    return times


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--lesson-order", action="store_true")
    args = parser.parse_args()
    ui.set_quiet(True)
    lab = Lab(NAME)
    runs = []
    try:
        for _ in range(args.runs):
            runs.append(one_run(lab, args.lesson_order))
    finally:
        lab.down()
    print(f"fresh lab -> converged, serving cluster (median of {args.runs}, warm images):")
    for key in runs[0]:
        print(f"  {key:24s} {statistics.median(r[key] for r in runs):6.1f} s")
    total = statistics.median(r["total"] for r in runs)
    base = statistics.median(r["baseline: plain deploy"] for r in runs)
    print(f"  goal: total <= 90 s; total / (plain deploy to serving pages) = {total / base:.1f}x")


if __name__ == "__main__":
    main()
