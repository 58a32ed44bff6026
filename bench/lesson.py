"""From a fresh lab to a converged, serving, checked cluster: `swarmlab lesson run`, step by step, beside the
plainest way to the same end state.

    python bench/lesson.py [--runs 3] [--lesson-order] [--engine 28.5|20.10]

Each run brings up two fresh labs (warm image cache; `lab up` is not timed).
On the first, `Lesson.run` (every step, the convergence, the overlay gate and
every check). On the second, the baseline: the lesson's commands typed in the
fewest round trips with no waiting or checking of their own (swarm init, the
joins, the network, level6 copied by one tar stream per node, the three stacks
deployed back to back), then polling until the page answers, /init.php once,
and polling until every node lists the posts. Medians; the goal is a driver
within 1.5x the baseline.
"""

import argparse
import io
import statistics
import tarfile
import time

from swarmlab import checks, resources, ui
from swarmlab.lab import DEFAULT_ENGINE, ENGINES
from swarmlab.lab.lab import Lab
from swarmlab.lesson import spec
from swarmlab.lesson.context import Options
from swarmlab.lesson.driver import Lesson
from swarmlab.state.pages import parse
from swarmlab.transport import inventory
from swarmlab.transport.cluster import Cluster
from swarmlab.transport.factory import over_ssh
from swarmlab.transport.web import FetchFailed
from swarmlab.waiting import until

NAMES = ("swarmlab-bench-driver", "swarmlab-bench-plain")


def fresh(name: str, engine: str) -> Cluster:
    lab = Lab(name)
    lab.down()
    lab.up(nodes=3, engine=engine)
    return over_ssh(inventory.load(lab.inventory_path))


def driver(cluster: Cluster, lesson_order: bool) -> dict:
    times, last = {}, [time.monotonic()]
    started = last[0]

    def on_step(result):
        now = time.monotonic()
        times[result.step] = now - last[0]
        last[0] = now

    Lesson(cluster, judge=checks.judge()).run(options=Options(lesson_order=lesson_order), on_step=on_step)
    times["total"] = time.monotonic() - started
    return times


def level6_tar() -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as tar:
        tar.add(resources.level6(), arcname="level6")
    return buffer.getvalue()


def serves_posts(cluster: Cluster, node: str) -> bool:
    try:
        page = parse(*cluster.page(node))
    except FetchFailed:
        return False
    return page.status == 200 and bool(page.posts)


def plain(cluster: Cluster) -> float:
    started = time.monotonic()
    manager = cluster.inventory.manager.name
    address = cluster.address(manager)
    cluster.run(manager, "docker swarm init --advertise-addr %s", address)
    token = cluster.run(manager, "docker swarm join-token -q worker").stdout.strip()
    cluster.map(
        lambda w: cluster.run(w, "docker swarm join --token %s %s", token, f"{address}:2377"),
        [n.name for n in cluster.inventory.workers],
    )
    cluster.run(manager, "docker network create -d overlay lemp-overlay")
    archive = level6_tar()
    cluster.map(
        lambda n: cluster.run(n, "mkdir -p /opt/docker-lessons && tar -x -C /opt/docker-lessons", stdin=archive)
    )
    env = Lesson(cluster).deploy_env()
    exports = " ".join(f"{k}={v}" for k, v in env.items())
    cluster.run(
        manager,
        " && ".join(
            f"cd {spec.PART1.compose} && env {exports} docker stack deploy -c ./{s}.yaml {s}"
            for s in ("storage", "core", "edge")
        ),
    )
    until(
        lambda: parse(*cluster.page(manager)).status == 200 if _answers(cluster, manager) else False,
        timeout=300,
        interval=0.5,
        what="the page",
    )
    cluster.page(manager, "/init.php")
    until(lambda: all(serves_posts(cluster, n) for n in cluster.names), timeout=300, interval=0.5, what="the posts")
    return time.monotonic() - started


def _answers(cluster, node) -> bool:
    try:
        cluster.page(node)
    except FetchFailed:
        return False
    return True


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--lesson-order", action="store_true")
    parser.add_argument("--engine", choices=ENGINES, default=DEFAULT_ENGINE)
    args = parser.parse_args()
    ui.set_quiet(True)
    runs, baselines = [], []
    try:
        for _ in range(args.runs):
            with fresh(NAMES[0], args.engine) as cluster:
                runs.append(driver(cluster, args.lesson_order))
            with fresh(NAMES[1], args.engine) as cluster:
                baselines.append(plain(cluster))
    finally:
        for name in NAMES:
            Lab(name).down()
    print(f"fresh lab -> converged, serving and checked cluster (engine {args.engine}, median of {args.runs}):")
    for key in runs[0]:
        print(f"  {key:24s} {statistics.median(r[key] for r in runs):6.1f} s")
    total, base = statistics.median(r["total"] for r in runs), statistics.median(baselines)
    print(f"  baseline: the same end state by plain commands, no checks: {base:6.1f} s")
    print(f"  driver / baseline = {total / base:.2f}x  (goal <= 1.5x)")


if __name__ == "__main__":
    main()
