"""How fast and how trustworthy a check of the converged lab is.

    python bench/checks.py [--lab swarmlab] [--runs 5] [--alarms 50]
    python bench/checks.py --replay tests/recordings/healthy.26.1.json.gz [--runs 5]

With --replay, no lab: `swarmlab check --replay FILE` and `swarmlab check --help`
end to end, medians of --runs, each against the baseline measured in the same
run: the interpreter starting and importing the libraries a check cannot do
without (paramiko, rich), the floor of what swarmlab's own modules and work add
to. Otherwise it needs a lab on which the lesson has run (`make demo`). Prints:
- `swarmlab check` end to end (the CLI as a student runs it), median of --runs;
- the in-process suite and its batched state read, medians;
- the baseline measured in the same run: the same facts read the plain way, one
  SSH connection per docker command;
- false alarms: the healthy lab checked --alarms times in a row, every
  non-passing result counted (goal 0).
"""

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

from swarmlab.checks import run_checks
from swarmlab.lesson.spec import reader
from swarmlab.paths import default_inventory
from swarmlab.transport import inventory
from swarmlab.transport.factory import over_ssh
from swarmlab.transport.ssh import SSHNode

SWARMLAB = str(Path(sys.executable).parent / "swarmlab")


def timed(fn) -> float:
    started = time.monotonic()
    fn()
    return time.monotonic() - started


def one_connection_per_command(inv) -> int:
    """The first read's facts as separate `docker` commands, each over a new SSH connection."""
    count = 0

    def run(spec, command):
        nonlocal count
        count += 1
        node = SSHNode(spec)
        try:
            return node.run(command).stdout.split()
        finally:
            node.close()

    manager = inv.manager
    run(manager, "docker info --format '{{json .}}'")
    for node_id in run(manager, "docker node ls -q"):
        run(manager, f"docker node inspect {node_id}")
    for service in run(manager, "docker service ls -q"):
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
        run(spec, "docker network inspect -v lemp-overlay")
    return count


def whole(command: list) -> float:
    """Seconds one whole process takes, from its start to its end."""
    return timed(lambda: subprocess.run(command, capture_output=True, stdin=subprocess.DEVNULL, check=True))


def without_lab(recording: str, runs: int) -> None:
    med = statistics.median
    floor = [sys.executable, "-c", "import paramiko, rich.console, rich.table"]
    commands = {
        f"swarmlab check --replay {Path(recording).name}": [SWARMLAB, "check", "--replay", recording, "-q"],
        "swarmlab check --help": [SWARMLAB, "check", "--help"],
    }
    found: dict = {name: [] for name in commands}
    baseline = []
    for _ in range(runs):  # interleaved, so that the machine's load weighs on each alike
        baseline.append(whole(floor))
        for name, command in commands.items():
            found[name].append(whole(command))
    print(f"baseline: python importing paramiko and rich: {med(baseline):5.2f} s  (median of {runs})")
    for name, seconds in found.items():
        print(f"{name + ':':52s}{med(seconds):5.2f} s  = {med(seconds) / med(baseline):.2f}x the baseline")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--lab", default="swarmlab")
    parser.add_argument("--replay", metavar="FILE", help="no lab: the CLI end to end on this recording")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--alarms", type=int, default=50)
    args = parser.parse_args()
    if args.replay:
        without_lab(args.replay, args.runs)
        return
    inv = inventory.load(default_inventory(args.lab))
    cli, suite, first_read, naive, commands = [], [], [], [], []
    with over_ssh(inv) as cluster:
        for _ in range(args.runs):
            done = []
            cli.append(
                timed(
                    lambda done=done: done.append(
                        subprocess.run(
                            [SWARMLAB, "check", "--lab", args.lab, "-q"], capture_output=True, stdin=subprocess.DEVNULL
                        )
                    )
                )
            )
            if done[0].returncode != 0:
                sys.exit("bench: the lab does not pass its checks: run `make demo` first")
            suite.append(timed(lambda: run_checks(cluster)))
            first_read.append(timed(lambda: reader(cluster).snapshot()))
            naive.append(timed(lambda: commands.append(one_connection_per_command(inv))))
        alarms = []
        started = time.monotonic()
        for attempt in range(args.alarms):
            alarms += [
                (attempt, r.stage, r.id, r.outcome, r.message)
                for r in run_checks(cluster, lang="en")
                if r.outcome != "passed"
            ]
        alarm_seconds = time.monotonic() - started
    med = statistics.median
    print(f"swarmlab check, end to end (CLI start included): {med(cli):5.2f} s  goal <= 1.0 s  (median of {args.runs})")
    print(f"the checks in-process:                           {med(suite):5.2f} s")
    print(f"  their first read, batched (4 round trips at once): {med(first_read):5.2f} s")
    print(
        f"baseline: the same facts, one SSH connection per docker command ({commands[-1]} commands): "
        f"{med(naive):5.2f} s = {med(naive) / med(first_read):.0f}x the batched read"
    )
    print(
        f"false alarms on the healthy lab: {len(alarms)} in {args.alarms} checks in a row "
        f"({alarm_seconds / args.alarms:.2f} s each)"
    )
    for attempt, stage, check, outcome, message in alarms:
        print(f"  run {attempt}: {stage}/{check} {outcome}: {message}")


if __name__ == "__main__":
    main()
