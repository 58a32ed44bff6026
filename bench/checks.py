"""How fast a full check of the converged lab is, and what batching the reads buys.

    python bench/checks.py [--runs 5] [--lab swarmlab]

Needs a lab on which the lesson has run (`make demo`). Prints the median of
the full suite (`labs.checking.run`, every default stage), the median of its
state read (one batched shell on the manager and one per node, in parallel)
and, measured in the same run, the baseline: the same facts read the plain
way, one SSH connection per docker command, one node after another.
"""

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from labs import checking, inventory, swarm  # noqa: E402
from labs.cluster import Cluster  # noqa: E402
from labs.ssh import SSHNode  # noqa: E402
from labs.state import default_inventory  # noqa: E402


def timed(fn) -> float:
    started = time.monotonic()
    fn()
    return time.monotonic() - started


def batched_read(inv) -> None:
    jobs = {"@manager": (inv.manager.name, swarm.MANAGER_READ), **{n: (n, swarm.NODE_READ) for n in inv.names}}
    with Cluster(inv) as cluster:
        cluster.map(lambda key: cluster.run(*jobs[key]), list(jobs))


def one_connection_per_command(inv) -> int:
    """The same reads as separate `docker` commands, each over a new SSH connection."""
    count = 0

    def run(spec, command):
        nonlocal count
        count += 1
        with SSHNode(spec) as node:
            return node.run(command).stdout.split()

    manager = inv.manager
    run(manager, "docker info --format '{{json .}}'")
    for node_id in run(manager, "docker node ls -q"):
        run(manager, f"docker node inspect {node_id}")
    services = run(manager, "docker service ls -q")
    for service in services:
        run(manager, f"docker service inspect {service}")
        for task in run(manager, f"docker service ps -q --no-trunc {service}"):
            run(manager, f"docker inspect --type task {task}")
    for network in run(manager, "docker network ls -q"):
        run(manager, f"docker network inspect {network}")
    run(manager, "docker volume ls --format '{{json .}}'")
    for spec in inv.nodes:
        run(spec, "docker info --format '{{json .}}'")
        for container in run(spec, "docker ps -aq"):
            run(spec, f"docker inspect {container}")
        run(spec, "docker volume ls --format '{{json .}}'")
        run(spec, f"cd {swarm.LESSON_DIR} && find . -type f -print0 | sort -z | xargs -0 -r sha256sum")
    return count


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--lab", default="swarmlab")
    args = parser.parse_args()
    path = default_inventory(args.lab)
    inv = inventory.load(path)
    suite, batched, naive, commands = [], [], [], []
    for _ in range(args.runs):
        results = []
        suite.append(timed(lambda results=results: results.extend(checking.run(path))))
        assert results and all(r.outcome == "passed" for r in results), "run `make demo` first: checks must pass"
        batched.append(timed(lambda: batched_read(inv)))
        naive.append(timed(lambda: commands.append(one_connection_per_command(inv))))
    med = statistics.median
    print(f"full check suite ({len(results)} checks, every default stage): {med(suite):5.2f} s  "
          f"goal <= 3 s  (median of {args.runs})")
    print(f"  its state read, batched (4 round trips in parallel):    {med(batched):5.2f} s")
    print(f"baseline: the same reads, one SSH connection per docker command ({commands[-1]} commands): {med(naive):5.2f} s")
    print(f"baseline / batched read = {med(naive) / med(batched):.1f}x; "
          f"suite with the baseline's reads would take ~{med(suite) - med(batched) + med(naive):.1f} s")


if __name__ == "__main__":
    main()
