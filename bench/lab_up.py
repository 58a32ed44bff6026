"""How long the embedded lab takes to come up and go down, and what memory it holds.

    python bench/lab_up.py [--runs 3] [--cold]

Warm `up` is timed to every node SSH-ready and to fully up (images loaded);
--cold first removes swarmlab's cached images, so that one run includes the
debootstrap builds. The baseline, measured in the same run, is a bare node
container started and removed with no SSH, engine or images: what `up` costs
on top of docker itself.
"""

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from labs import engine, images, ui  # noqa: E402
from labs.lab import Lab  # noqa: E402

NAME = "swarmlab-bench"


def timed(fn):
    started = time.monotonic()
    fn()
    return time.monotonic() - started


def lab_memory(lab: Lab) -> int:
    """Bytes used by the lab's node containers (RSS + kernel memory, page cache excluded)."""
    total = 0
    for container in lab.containers():
        stats = container.stats(stream=False)["memory_stats"]
        total += stats.get("usage", 0) - stats.get("stats", {}).get("cache", 0)
    return total


def bare_node(client) -> float:
    def run():
        container = client.containers.run(images.NODE.tag, entrypoint=["true"], detach=True,
                                          labels={"swarmlab": NAME})
        container.wait()
        container.remove(force=True, v=True)
    return timed(run)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--cold", action="store_true", help="include one up with an empty image cache")
    args = parser.parse_args()
    ui.set_quiet(True)
    client = engine.connect()
    lab = Lab(NAME, client)
    lab.down()
    if args.cold:
        images.purge(client)
        cold = timed(lambda: lab.up(nodes=3))
        lab.down()
        print(f"cold up (empty cache, 3 nodes):       {cold:6.1f} s   goal <= 300 s")
    else:
        images.ensure(client, [images.NODE, *images.STAND_INS])
    ready, full, down, memory, base = [], [], [], [], []
    for _ in range(args.runs):
        base.append(bare_node(client))
        lab.up(nodes=3)
        ready.append(lab.timings["ssh_ready"])
        full.append(lab.timings["up"])
        time.sleep(10)
        memory.append(lab_memory(lab))
        down.append(timed(lab.down))
    med = statistics.median
    print(f"warm up, every node SSH-ready:        {med(ready):6.1f} s   goal <= 20 s  (median of {args.runs})")
    print(f"warm up, images loaded (all of up):   {med(full):6.1f} s")
    print(f"down:                                 {med(down):6.1f} s   goal <= 10 s")
    print(f"memory of 3 idle nodes:               {med(memory) / 1024**3:6.2f} GiB goal <= 1.5 GiB")
    print(f"baseline, one bare node container:    {med(base):6.2f} s   up/baseline = {med(full) / med(base):.0f}x")


if __name__ == "__main__":
    main()
