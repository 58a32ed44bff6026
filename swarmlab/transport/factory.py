"""From what a user names to a Cluster: a lab, an inventory file, a recording, or nodes already known.

Every front end (the CLI, the pytest plugin, the magics, the dashboard, the grader) opens its clusters here, so
an option means the same thing everywhere: `--lab` and `--inventory` name where the nodes are, `--replay` a
recorded state instead, `--record` and `--record-commands` keep what was read and sent.
"""

from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from .. import resources
from ..errors import UsageError
from ..paths import default_inventory
from ..secrets import Masker, lesson_passwords
from . import inventory as inventory_file
from .cluster import Cluster
from .inventory import Inventory, NodeSpec
from .recording import CommandLog, Recording, jsonl_sink
from .replay import ReplayCluster
from .ssh import SSHNode

DEFAULT_LAB = "swarmlab"


@dataclass(frozen=True)
class Source:
    """Where a cluster is: at most one of a lab's name, an inventory file, a recording, or known nodes (a
    roster row's); none means the default lab."""

    lab: Optional[str] = None
    inventory: Optional[Path] = None
    replay: Optional[Path] = None
    nodes: Optional[Inventory] = None

    def __post_init__(self):
        given = [
            flag
            for flag, value in (("--lab", self.lab), ("--inventory", self.inventory), ("--replay", self.replay))
            if value
        ]
        if len(given) > 1:
            raise UsageError(f"{' and '.join(given)} name two clusters: give one of --lab, --inventory or --replay")

    @property
    def replayed(self) -> bool:
        return self.replay is not None


@dataclass(frozen=True)
class Access:
    """How the nodes are reached and what is kept of it."""

    timeout: float = 10
    accept_new_host_keys: bool = False
    record: Optional[Path] = None  # everything read, kept as a recording (for --replay)
    record_commands: Optional[Path] = None  # every command sent, appended as JSON lines
    log_fields: dict = field(default_factory=dict)  # more fields on each logged command (the grader's student)


def inventory_of(source: Source) -> Inventory:
    if source.nodes is not None:
        return source.nodes
    return inventory_file.load(source.inventory or default_inventory(source.lab or DEFAULT_LAB))


def open_cluster(source: Source, access: Access = Access()) -> Cluster:
    """The cluster, reached over SSH (or replayed), logged and recorded as asked; closing it saves the recording."""
    if source.replay is not None:
        cluster = replayed(source.replay)
    else:
        cluster = over_ssh(inventory_of(source), access.timeout, access.accept_new_host_keys)
    if access.record_commands:
        sink = jsonl_sink(Path(access.record_commands), **access.log_fields)
        cluster = cluster.wrapped(lambda node: CommandLog(node, sink))
    if access.record:
        path = Path(access.record)
        recording = Recording(path.name.split(".")[0])
        closing = cluster
        cluster = cluster.recorded(recording, Masker(*lesson_passwords(resources.level6())))
        cluster = Cluster(
            cluster.inventory,
            cluster.nodes,
            cluster.browser,
            cluster.title,
            on_close=[closing.close, lambda: recording.save(path)],
        )
    return cluster


def over_ssh(inventory: Inventory, timeout: float = 10, accept_new_host_keys: bool = False) -> Cluster:
    return Cluster(inventory, {spec.name: SSHNode(spec, timeout, accept_new_host_keys) for spec in inventory.nodes})


def replayed(recording) -> Cluster:
    """A recorded cluster answering again: its nodes and pages exactly as recorded, nothing else."""
    if not isinstance(recording, Recording):
        recording = Recording.load(recording)
    data = recording.inventory
    nodes = tuple(
        NodeSpec(name=n["name"], address=n.get("address", n["name"]), role=n.get("role", "worker"))
        for n in data.get("nodes", [])
    )
    inventory = Inventory(
        nodes=nodes,
        path=Path(f"{recording.name}.recording"),
        endpoint_mode=data.get("endpoint_mode", "auto"),
        images=dict(data.get("images") or {}),
    )
    replay = ReplayCluster(recording)
    return Cluster(
        inventory, {spec.name: replay.node(spec) for spec in inventory.nodes}, replay.browser(), recording.name
    )
