"""Many fresh labs through the lesson as the notebooks type it, each checked: failures per engine.

    python bench/soak.py --labs 20 [--engine 28.5] [--engine 20.10]

Each lab: `lab up`, then the notebooks' commands, not the driver's shortcuts:
swarm init, both joins (each until Ready), `docker network create` right after,
level6 synced, edge deployed alone until its tasks have failed on every node
(the lesson's `host not found in upstream`), then core, then storage, waiting
as `%wait ... --overlay` does, /init.php once, then `swarmlab check`. Printed
per engine: labs whose checks failed (goal 0), and labs where the overlay's
NetworkDB missed a node's rejoin while edge crash-looped (moby/moby#53437) and
how long it took to heal by itself.
"""

import argparse
import statistics
import time

from swarmlab import ui
from swarmlab.checks import run_checks
from swarmlab.lab import ENGINES
from swarmlab.lab.lab import Lab
from swarmlab.lesson import spec, steps
from swarmlab.lesson.commands import Admin
from swarmlab.lesson.driver import Lesson
from swarmlab.lesson.spec import reader
from swarmlab.secrets import Masker
from swarmlab.state import reads
from swarmlab.transport.cluster import Cluster
from swarmlab.transport.factory import over_ssh
from swarmlab.waiting import until


def notebook_flow(cluster: Cluster) -> float:
    """The lesson as notebooks 01-06 send it; returns the seconds the overlay took to converge after core."""
    lesson = Lesson(cluster)
    admin = Admin(cluster, Masker())
    manager = cluster.inventory.manager.name
    admin.swarm_init(cluster.address(manager))
    address = reads.read_info(cluster, manager).manager_addr
    for worker in cluster.inventory.workers:
        admin.join(worker.name, address)
        until(
            lambda w=worker.name: getattr(reads.read_manager(cluster).node_named(w), "ready", False),
            timeout=60,
            what=f"{worker.name} Ready",
        )
    admin.network_create(spec.NETWORK)
    lesson.step("sync")
    env = lesson.deploy_env()
    admin.stack_deploy("edge", spec.PART1.compose, env)

    def failed_everywhere():
        view = reads.read_manager(cluster)
        gateway = view.service(spec.GATEWAY)
        failed = {view.hostname_of(t) for t in view.tasks_of(gateway, running_only=False) if t.error}
        return gateway is not None and failed >= set(cluster.names)

    until(failed_everywhere, timeout=120, what="edge to fail on every node")
    admin.stack_deploy("core", spec.PART1.compose, env)
    steps.wait_services(lesson, names=(spec.PHP_FPM, spec.GATEWAY))
    started = time.monotonic()
    until(lambda: not reader(cluster).overlay_problems(), timeout=180, interval=2, what="the overlay")
    healed = time.monotonic() - started
    admin.stack_deploy("storage", spec.PART1.compose, env)
    steps.wait_services(lesson)
    cluster.page(manager, "/init.php", timeout=10)
    return healed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--labs", type=int, default=20)
    parser.add_argument("--engine", action="append", choices=ENGINES)
    args = parser.parse_args()
    ui.set_quiet(True)
    for engine in args.engine or ENGINES:
        lab, failed, raced = Lab(f"swarmlab-soak-{engine.replace('.', '')}"), [], []
        for attempt in range(args.labs):
            lab.down()
            with over_ssh(lab.up(nodes=3, engine=engine)) as cluster:
                try:
                    healed = notebook_flow(cluster)
                    results = run_checks(cluster, lang="en")
                except Exception as err:
                    failed.append(f"lab {attempt}: {type(err).__name__}: {err}")
                    print(f"  engine {engine}, lab {attempt + 1}/{args.labs}: FAILED ({failed[-1]})", flush=True)
                    continue
            if healed > 10:
                raced.append(healed)
            failed += [f"lab {attempt}: {r.stage}/{r.id}: {r.message}" for r in results if r.outcome != "passed"]
            print(
                f"  engine {engine}, lab {attempt + 1}/{args.labs}: "
                f"{'ok' if not failed or not failed[-1].startswith(f'lab {attempt}:') else 'FAILED'}"
                f" (overlay converged {healed:.0f} s after core)",
                flush=True,
            )
        lab.down()
        print(
            f"engine {engine}: {len({f.split(':')[0] for f in failed})} of {args.labs} labs failed their checks "
            f"(goal 0); the NetworkDB race showed in {len(raced)} and healed by itself in "
            f"{statistics.median(raced) if raced else 0:.0f} s (median)"
        )
        for line in failed:
            print(f"    {line}")


if __name__ == "__main__":
    main()
