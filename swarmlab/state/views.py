"""What one batched read shows: the swarm as its manager sees it, and each node as it sees itself."""

import hashlib
from dataclasses import dataclass, field
from typing import Optional

from .models import Container, Info, Network, Service, SwarmNode, Task, Version, Volume
from .placement import allows

SECRET_WORDS = ("PASSWORD", "SECRET", "TOKEN", "KEY")


def secret_values(env: dict) -> set:
    """Values an environment holds under a secret-looking name (MYSQL_ROOT_PASSWORD): never to be shown."""
    return {value for key, value in env.items() if value and any(word in key.upper() for word in SECRET_WORDS)}


@dataclass(frozen=True)
class ManagerView:
    info: Info
    nodes: tuple = ()
    services: tuple = ()
    tasks: tuple = ()
    networks: tuple = ()
    volumes: tuple = ()

    def service(self, name: str) -> Optional[Service]:
        return next((s for s in self.services if s.name == name), None)

    def network(self, name: str) -> Optional[Network]:
        return next((n for n in self.networks if n.name == name), None)

    def tasks_of(self, service: Service, running_only: bool = True) -> list:
        return [t for t in self.tasks if t.service_id == service.id and (t.running or not running_only)]

    def node_by_id(self, node_id: str) -> Optional[SwarmNode]:
        return next((n for n in self.nodes if n.id == node_id), None)

    def hostname_of(self, task: Task) -> str:
        node = self.node_by_id(task.node_id)
        return node.hostname if node else "?"

    def node_named(self, hostname: str) -> Optional[SwarmNode]:
        """The live entry of a hostname (a node that left and joined again is listed twice)."""
        named = [n for n in self.nodes if n.hostname == hostname]
        return next((n for n in named if n.ready), named[0] if named else None)

    @property
    def secrets(self) -> set:
        """The secrets the services' environments set: the password a student's own compose file uses, say."""
        return {value for service in self.services for value in secret_values(service.env)}

    @property
    def identity(self) -> dict:
        """What makes this swarm itself and no copy of another: its cluster ID, its CA, its nodes' IDs (read-only;
        a student with root could forge them, but not by handing in another student's cluster)."""
        roots = sorted({n.trust_root for n in self.nodes if n.trust_root})
        return {
            "cluster": self.info.cluster_id or "",
            "ca": hashlib.sha256(roots[0].strip().encode()).hexdigest() if roots else "",
            "nodes": sorted(n.id for n in self.nodes if n.id),
        }

    @property
    def me(self) -> Optional[SwarmNode]:
        return self.node_by_id(self.info.node_id or "")

    @property
    def stacks(self) -> dict:
        stacks: dict = {}
        for service in self.services:
            if service.stack:
                stacks.setdefault(service.stack, []).append(service)
        return stacks

    def eligible_nodes(self, service: Optional[Service] = None) -> list:
        """Nodes that take new tasks; for a service, only those its constraints allow."""
        return [
            n
            for n in self.nodes
            if n.ready and n.availability == "active" and (service is None or allows(service.constraints, n))
        ]

    def running_on(self, service: Service) -> dict:
        """{hostname: running tasks of the service there}."""
        found: dict = {}
        for task in self.tasks_of(service):
            found.setdefault(self.hostname_of(task), []).append(task)
        return found

    def wanted(self, service: Service) -> int:
        return len(self.eligible_nodes(service)) if service.mode == "global" else service.replicas or 0

    def converged(self, service: Service) -> bool:
        """Every task the service wants is running (global: one per node its placement allows)."""
        running = self.tasks_of(service)
        if service.mode == "global":
            wanted = {n.id for n in self.eligible_nodes(service)}
            return wanted == {t.node_id for t in running} and len(running) == len(wanted)
        return len(running) == service.replicas


@dataclass(frozen=True)
class NodeView:
    info: Info
    containers: tuple = ()
    volumes: tuple = ()
    networks: tuple = ()  # overlay networks this node holds, inspected with -v (peers)
    level6: dict = field(default_factory=dict)  # {relative path: sha256} of the lesson's folder here
    listeners: tuple = ()  # "port process" lines of what listens on the lesson's ports
    interfaces: tuple = ()  # Interface, as `ip -j addr` shows them
    routes: tuple = ()  # Route, as `ip -j -4 route` shows them
    version: Version = field(default_factory=lambda: Version({}))
    clock: Optional[float] = None  # the node's clock (seconds since the epoch) as it answered
    read_at: Optional[float] = None  # this machine's clock at the middle of that read

    @property
    def mtu(self) -> dict:
        """{interface: mtu}."""
        return {i.name: i.mtu for i in self.interfaces if i.mtu}

    @property
    def clock_offset(self) -> Optional[float]:
        """How far the node's clock is ahead of this machine's (negative: behind), give or take half a round trip."""
        return None if self.clock is None or self.read_at is None else self.clock - self.read_at

    @property
    def secrets(self) -> set:
        """The secrets this node's containers were started with."""
        return {value for container in self.containers for value in secret_values(container.env)}

    def container_of(self, task: Task) -> Optional[Container]:
        return next((c for c in self.containers if c.task_id == task.id), None)

    def network(self, name: str) -> Optional[Network]:
        return next((n for n in self.networks if n.name == name), None)

    def volume(self, name: str) -> Optional[Volume]:
        return next((v for v in self.volumes if v.name == name), None)

    def running(self, service: str) -> list:
        return [c for c in self.containers if c.service == service and c.running]
