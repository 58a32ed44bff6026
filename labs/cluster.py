"""Every node of one inventory, each over one reused SSH connection, used in parallel.

This is the one way swarmlab touches a cluster, the embedded lab or a student's
VMs alike; checks add a recorder to prove they only ever read.
"""

from concurrent.futures import ThreadPoolExecutor
from typing import Callable, Optional

from .inventory import Inventory
from .ssh import Result, SSHNode


class Cluster:
    def __init__(self, inventory: Inventory, timeout: float = 10, accept_new_host_keys: bool = False,
                 recorder: Optional[Callable[[str, str], None]] = None):
        self.inventory = inventory
        self.recorder = recorder
        self.nodes = {spec.name: SSHNode(spec, timeout, accept_new_host_keys) for spec in inventory.nodes}

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def node(self, name: str) -> SSHNode:
        self.inventory.node(name)
        return self.nodes[name]

    @property
    def manager(self) -> SSHNode:
        return self.nodes[self.inventory.manager.name]

    def run(self, node: str, command: str, timeout: float = 120, stdin: Optional[bytes] = None) -> Result:
        if self.recorder is not None:
            self.recorder(node, command)
        return self.node(node).run(command, timeout=timeout, stdin=stdin)

    def map(self, fn: Callable, names=None) -> dict:
        """fn(node_name) on every node at once; a raised exception becomes that node's value."""
        names = list(names or self.nodes)

        def call(name):
            try:
                return fn(name)
            except Exception as err:  # each node's failure is reported, not fatal to the others
                return err

        with ThreadPoolExecutor(max_workers=max(1, len(names))) as pool:
            return dict(zip(names, pool.map(call, names)))

    def close(self) -> None:
        for node in self.nodes.values():
            node.close()
