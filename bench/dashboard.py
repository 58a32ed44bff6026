"""The dashboard's load on a cluster: several browser tabs for minutes cost one state read per refresh, no more.

    python bench/dashboard.py [--lab NAME] [--minutes 5] [--tabs 3] [--interval 5]

Without --lab it starts a 3-node lab of its own (dash-bench), runs the lesson on
it and removes it at the end; with --lab it uses that (converged) lab and leaves
it. `swarmlab dashboard` runs as a user would, with --record-commands, while
headless Chromium keeps --tabs pages open on it; the log stamps each command
as it leaves. A state read is one batched read of the manager (the
Reader's first round; each comes with one read per node). The goal: at most one
state read per interval and no two closer than the interval (less 10% for the
reads' own start-up on a busy machine), however many tabs,
and the cluster's services and tasks the same ids and versions after as before.
Exit 1 when any of these fails.
"""

import argparse
import json
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from swarmlab import ui  # noqa: E402
from swarmlab.lab.lab import Lab  # noqa: E402
from swarmlab.state import templates  # noqa: E402
from swarmlab.state.reads import read_manager  # noqa: E402
from swarmlab.transport import inventory  # noqa: E402
from swarmlab.transport.factory import over_ssh

NAME = "dash-bench"
# A read leaves as its round starts, give or take its own start-up on a busy machine (a tenth of a second);
# a second read within one interval would come seconds early, not that.
SLACK = 0.1
SWARMLAB = str(Path(sys.executable).parent / "swarmlab")
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def state(inventory_path: Path) -> dict:
    """{service or task id: its version}: any write to the swarm changes one of them."""
    with over_ssh(inventory.load(inventory_path)) as cluster:
        view = read_manager(cluster)
    return {
        f"{kind} {item.id}": item.raw.get("Version", {}).get("Index")
        for kind, items in (("service", view.services), ("task", view.tasks))
        for item in items
    }


def measure(lab: str, inventory_path: Path, minutes: float, tabs: int, interval: float) -> dict:
    import requests
    from playwright.sync_api import sync_playwright

    folder = Path(tempfile.mkdtemp(prefix="dash-bench-"))
    commands, out = folder / "commands.jsonl", folder / "dashboard.out"
    commands.touch()
    with open(out, "w") as stdout:
        proc = subprocess.Popen(
            [
                SWARMLAB,
                "dashboard",
                "--lab",
                lab,
                "--port",
                "0",
                "--interval",
                str(interval),
                "--record-commands",
                str(commands),
                "-q",
            ],
            stdout=stdout,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
    try:
        while not re.search(r"http://127\.0\.0\.1:\d+/", out.read_text()):
            if proc.poll() is not None:
                sys.exit(f"bench: the dashboard did not start: {out.read_text().strip()[-500:]}")
            time.sleep(0.1)
        url = re.search(r"http://127\.0\.0\.1:\d+/", out.read_text()).group(0)
        rounds = {}
        with sync_playwright() as playwright:
            context = playwright.chromium.launch_persistent_context(
                str(folder / "profile"), executable_path="/usr/bin/chromium", headless=True, args=FLAGS
            )
            pages = [context.new_page() for _ in range(tabs)]
            for page in pages:
                page.goto(url)
            opened = time.time()  # the window opens with every tab on the page
            while time.time() - opened < minutes * 60:
                # the snapshot as a page gets it, read without subscribing (no read of its own)
                meta = requests.get(url + "snapshot.json", timeout=10).json().get("refresh") or {}
                if meta.get("round") and not meta.get("partial"):
                    rounds[meta["round"]] = meta["seconds"]
                pages[0].wait_for_timeout(1000)
            closed = time.time()
            context.close()
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=60)
    sent = [json.loads(line) for line in commands.read_text().splitlines()]
    stamps = [(entry["at"] - opened, entry["command"]) for entry in sent if opened <= entry["at"] < closed]
    elapsed = closed - opened
    reads = [t for t, command in stamps if command == templates.MANAGER.render()]
    gaps = [b - a for a, b in zip(reads, reads[1:])]
    return {
        "elapsed": elapsed,
        "interval": interval,
        "tabs": tabs,
        "state_reads": len(reads),
        "reads_per_interval": len(reads) / (elapsed / interval),
        "least_gap": min(gaps) if gaps else 0.0,
        "median_gap": statistics.median(gaps) if gaps else 0.0,
        "commands": len(stamps),
        "commands_per_read": len(stamps) / max(len(reads), 1),
        "rounds": len(rounds),
        "median_refresh": statistics.median(rounds.values()) if rounds else None,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--lab", help="measure this running, converged lab instead of starting one")
    parser.add_argument("--minutes", type=float, default=5)
    parser.add_argument("--tabs", type=int, default=3)
    parser.add_argument("--interval", type=float, default=5)
    args = parser.parse_args()
    ui.set_quiet(True)
    lab = Lab(args.lab or NAME)
    try:
        if not args.lab:
            lab.down()
            lab.up(nodes=3)
            done = subprocess.run([SWARMLAB, "lesson", "run", "--lab", lab.name, "-q"], capture_output=True, text=True)
            if done.returncode != 0:
                sys.exit(f"bench: the lesson did not converge: {done.stderr.strip()[-500:]}")
        before = state(lab.inventory_path)
        figures = measure(lab.name, lab.inventory_path, args.minutes, args.tabs, args.interval)
        after = state(lab.inventory_path)
    finally:
        if not args.lab:
            lab.down()
    changed = sorted(set(before.items()) ^ set(after.items()))
    f = figures
    print(
        f"dashboard on lab {lab.name}: {f['tabs']} tabs open for {f['elapsed']:.0f} s, refresh every "
        f"{f['interval']:g} s"
    )
    print(
        f"  state reads:            {f['state_reads']} ({f['reads_per_interval']:.2f} per interval; two reads "
        f"{f['median_gap']:.2f} s apart at the median, {f['least_gap']:.2f} s at the closest)"
    )
    print(f"  commands sent:          {f['commands']} ({f['commands_per_read']:.1f} per state read)")
    print(f"  seconds per refresh:    {f['median_refresh']:.2f} median over {f['rounds']} refreshes")
    print(
        f"  cluster unchanged:      {'yes' if not changed else 'NO: ' + ', '.join(k for k, _ in changed[:6])} "
        f"({len(before)} service and task ids and versions compared)"
    )
    if f["reads_per_interval"] > 1 or f["least_gap"] < f["interval"] * (1 - SLACK) or changed:
        sys.exit(1)


if __name__ == "__main__":
    main()
