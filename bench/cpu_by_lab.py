"""Where a command's CPU went on this machine, lab by lab: the node containers (their dockerd, and every docker CLI
and shell the reads start in them), the lesson's containers nested in them, and the rest (pytest, swarmlab, ssh,
the host's engine).

    python bench/cpu_by_lab.py [--every 5] -- make test

`make test` is bound by this machine's cores, so what shortens it is less CPU spent, and this says who spent it.
It samples cgroup v1's cpuacct.usage or v2's cpu.stat: a node container is the host's docker/<id> cgroup, the
containers inside it are under swarmlab-<lab>-<node> (the cgroup parent a lab gives its nodes' engines). A node
container removed between two samples loses what it spent since the last one, so figures are lower bounds.
"""

import argparse
import json
import os
import re
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

ROOT = Path("/sys/fs/cgroup")
CONTAINERS = Path("/var/lib/docker/containers")
NODE = re.compile(r"^(?P<lab>.+)-(?:manager|worker-\d+)$")


def usage_ns(cgroup: Path):
    """The CPU a cgroup directory says it used, in ns, under either cgroup version; None when it says nothing."""
    if (cgroup / "cpuacct.usage").is_file():
        return int((cgroup / "cpuacct.usage").read_text())
    if (cgroup / "cpu.stat").is_file():
        fields = dict(line.split() for line in (cgroup / "cpu.stat").read_text().splitlines())
        return int(fields["usage_usec"]) * 1000
    return None


def busy_s() -> float:
    """CPU seconds this machine has spent, on every core, since it started."""
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + fields[4]
    return (sum(fields[:8]) - idle) / 100


def node_name(container_id: str):
    """The container's name, from the engine's own record of it: read without the engine, which `make test` starts
    and stops itself."""
    try:
        config = json.loads((CONTAINERS / container_id / "config.v2.json").read_text())
    except (OSError, ValueError):
        return None
    return str(config.get("Name", "")).lstrip("/")


def sample() -> dict:
    """{(lab, layer, cgroup): ns used so far} for every lab node running now and every lab's nested cgroup."""
    found = {}
    for base in (ROOT / "cpuacct", ROOT):
        for path in [*(base / "docker").glob("*"), *(base / "system.slice").glob("docker-*.scope")]:
            container_id = path.name.removeprefix("docker-").removesuffix(".scope")
            match = NODE.match(node_name(container_id) or "")
            used = usage_ns(path) if match else None
            if used is not None:
                found.setdefault((match["lab"], "node", container_id), used)
        for path in base.glob("swarmlab-*"):
            match = NODE.match(path.name.removeprefix("swarmlab-"))
            used = usage_ns(path) if match else None
            if used is not None:
                found.setdefault((match["lab"], "lesson", path.name), used)
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--every", type=float, default=5.0, help="seconds between samples")
    parser.add_argument("command", nargs=argparse.REMAINDER, help="-- then the command to run")
    args = parser.parse_args()
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        parser.error("no command: give it after --, e.g. `python bench/cpu_by_lab.py -- make lab-lesson`")
    spent: Counter = Counter()
    last = sample()
    done = threading.Event()

    def watch():
        nonlocal last
        while not done.wait(args.every):
            now = sample()
            for key, used in now.items():
                spent[key] += max(0, used - last.get(key, 0))
            last = now

    started, busy_before = time.monotonic(), busy_s()
    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    try:
        status = subprocess.call(command)
    except OSError as err:
        done.set()
        parser.exit(2, f"cpu_by_lab: cannot run {command[0]!r} ({err.strerror}): give a command this machine has\n")
    done.set()
    watcher.join()
    wall, busy = time.monotonic() - started, busy_s() - busy_before

    by_lab: dict = {}
    for (lab, layer, _), ns in spent.items():
        by_lab.setdefault(lab, Counter())[layer] += ns / 1e9
    print(f"\n{'lab':28} {'node containers':>16} {'lesson containers':>18}  (CPU seconds)")
    for lab, layers in sorted(by_lab.items(), key=lambda item: -sum(item[1].values())):
        if sum(layers.values()) < 0.5:
            continue
        print(f"{lab:28} {layers['node']:16.0f} {layers['lesson']:18.0f}")
    nodes = sum(layers["node"] for layers in by_lab.values())
    lesson = sum(layers["lesson"] for layers in by_lab.values())
    cores = os.cpu_count() or 1
    print(
        f"{' '.join(command)}: {wall:.0f} s, the machine busy {busy:.0f} CPU s ({busy / wall / cores:.0%} of {cores} "
        f"cores): lab nodes {nodes:.0f}, lesson containers {lesson:.0f}, the rest {busy - nodes - lesson:.0f}"
    )
    return status


if __name__ == "__main__":
    sys.exit(main())
