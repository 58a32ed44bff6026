"""How long the embedded lab takes to come up and go down, and what memory it holds, per engine.

    python bench/lab_up.py [--runs 3] [--cold] [--engine 28.5] [--engine 20.10]

Warm `up` (images built, the node image store made) is timed to every node
ready for the lesson: SSH and the engine answer, the stand-in images are in
every node's engine. --cold first removes swarmlab's images and stores, so one
run includes the bootstraps (mmdebstrap) and the store. The baseline, measured in
the same run, is a bare node container started and removed with no SSH, engine
or images: what `up` costs on top of docker itself.
"""

import argparse
import statistics
import time

from swarmlab import ui
from swarmlab.lab import engine, images, stores
from swarmlab.lab.lab import Lab

NAME = "swarmlab-bench-up"


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


def bare_node(client, node_image) -> float:
    def run():
        container = client.containers.run(node_image.tag, entrypoint=["true"], detach=True, labels={"swarmlab": NAME})
        container.wait()
        container.remove(force=True, v=True)

    return timed(run)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--cold", action="store_true", help="include one up with no image or store cached")
    parser.add_argument("--engine", action="append", choices=tuple(images.ENGINES))
    args = parser.parse_args()
    ui.set_quiet(True)
    client = engine.connect()
    lab = Lab(NAME, client)
    med = statistics.median
    for name in args.engine or list(images.ENGINES):
        lab.down()
        if args.cold:
            stores.purge(client)
            images.purge(client)
            cold = timed(lambda name=name: lab.up(nodes=3, engine=name))
            lab.down()
            print(f"engine {name}: cold up (empty cache, 3 nodes): {cold:6.1f} s   goal <= 300 s")
        else:
            lab.up(nodes=3, engine=name)
            lab.down()
        up, down, memory, base = [], [], [], []
        for _ in range(args.runs):
            base.append(bare_node(client, images.ENGINES[name]))
            up.append(timed(lambda name=name: lab.up(nodes=3, engine=name)))
            time.sleep(10)
            memory.append(lab_memory(lab))
            down.append(timed(lab.down))
        print(f"engine {name} (median of {args.runs}):")
        print(f"  warm up, nodes ready for the lesson:  {med(up):6.1f} s   goal <= 10 s")
        print(f"  down:                                 {med(down):6.1f} s   goal <= 10 s")
        print(f"  memory of 3 idle nodes:               {med(memory) / 1024**3:6.2f} GiB goal <= 1.5 GiB")
        print(f"  baseline, one bare node container:    {med(base):6.2f} s   up/baseline = {med(up) / med(base):.0f}x")


if __name__ == "__main__":
    main()
