"""Every node of one inventory, each through the backend it was given, used in parallel.

Nothing above this layer knows whether a node is reached over SSH or replayed
from a recording: the lesson, the checks, grading and the front-ends all take
a Cluster.
"""

from concurrent.futures import ThreadPoolExecutor
from typing import Callable, Optional, Sequence

from .base import Node, Result
from .inventory import Inventory
from .recording import Recording, RecordingBrowser, RecordingNode
from .web import Answer, Browser


class Cluster:
    def __init__(
        self,
        inventory: Inventory,
        nodes: dict,
        browser=None,
        title: str = "",
        on_close: Sequence[Callable[[], None]] = (),
    ):
        self.inventory = inventory
        self.nodes = nodes
        self.browser = browser or Browser()
        self.title = title or (inventory.lab or (inventory.path.stem if inventory.path else "cluster"))
        self._on_close = list(on_close)

    def recorded(self, recording: Recording, mask: Callable[[str], str]) -> "Cluster":
        """The same cluster, with every exchange also kept in `recording`."""
        recording.inventory = recording.inventory or {
            "endpoint_mode": self.inventory.endpoint_mode,
            "images": dict(self.inventory.images),
            "nodes": [{"name": n.name, "address": self.address(n.name), "role": n.role} for n in self.inventory.nodes],
        }
        return Cluster(
            self.inventory,
            {name: RecordingNode(node, recording, mask) for name, node in self.nodes.items()},
            RecordingBrowser(self.browser, recording, mask),
            self.title,
        )

    def wrapped(self, wrap: Callable[[Node], Node]) -> "Cluster":
        return Cluster(
            self.inventory, {name: wrap(node) for name, node in self.nodes.items()}, self.browser, self.title
        )

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    @property
    def names(self) -> tuple:
        return self.inventory.names

    def node(self, name: str) -> Node:
        self.inventory.node(name)
        return self.nodes[name]

    @property
    def manager(self) -> Node:
        return self.nodes[self.inventory.manager.name]

    def run(self, node: str, command: str, *args, stdin: Optional[bytes] = None, timeout: float = 120) -> Result:
        return self.node(node).run(command, *args, stdin=stdin, timeout=timeout)

    def address(self, name: str) -> str:
        """Where this machine reaches the node, as a browser would: its address after ~/.ssh/config."""
        spec = self.inventory.node(name)
        node = self.nodes.get(name)
        return (node.address() if node is not None else None) or spec.address

    def page(self, name: str, path: str = "/", timeout: float = 5, scheme: str = "http", port=None) -> Answer:
        """The node's page, fetched from its own address and from nothing it points to; FetchFailed says why there
        is none."""
        return self.browser.get(name, self.address(name), path, timeout, scheme, port)

    def map(self, fn: Callable, names=None) -> dict:
        """fn(name) for every node (or every name given) at once; a raised exception becomes that name's value."""
        return parallel(fn, list(names if names is not None else self.nodes))

    def close(self) -> None:
        for node in self.nodes.values():
            node.close()
        for done in self._on_close:
            done()
        self._on_close = []


def parallel(fn: Callable, items, strict: bool = False) -> dict:
    """{item: fn(item)} computed at once, one thread per item; a raised exception becomes that item's value,
    or, with `strict`, is raised once every item has finished."""
    items = list(items)
    if not items:
        return {}

    def call(item):
        try:
            return fn(item)
        except Exception as err:  # each item's failure is reported, not fatal to the others
            return err

    with ThreadPoolExecutor(max_workers=len(items)) as pool:
        found = dict(zip(items, pool.map(call, items)))
    failed = [value for value in found.values() if isinstance(value, Exception)]
    if strict and failed:
        raise failed[0]
    return found
