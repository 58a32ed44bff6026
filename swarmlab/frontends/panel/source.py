"""The panel's source: the swarm as the panel stand-in reads it, from inside, through the agents.

`tasks.agent` resolves on agent_network to one address per agent task (one per node); each agent names its node,
and the manager is the node whose engine says it controls the swarm. They are looked up again on every refresh,
so a node that joins or an agent that is replaced shows up at the next one. The pages are the dashboard's
picture plus Portainer's lists (stacks, services, containers, volumes); nothing here runs the checks: the panel
shows, it does not grade. Its reads keep the manager's view and the nodes' images, from which the Services tab's
changes are planned (manage.py) and then sent, the one write path, to the manager's agent.
"""

import os
import socket
from typing import Optional

from ...errors import NodeUnreachable
from ...lesson.spec import reader as lesson_reader
from ...secrets import Masker
from ...state import templates as T
from ...state.readonly import ReadOnlyNode
from ...state.reads import Reader, parse_info_probe
from ...state.views import ManagerView, NodeView
from ...transport import agent
from ...transport.base import Result
from ...transport.cluster import Cluster, parallel
from ...transport.inventory import Inventory, NodeSpec
from ..dashboard.data import picture
from .manage import Plan, choices, plan


def discover(host: str, port: int, secret: bytes, timeout: float = 5) -> Cluster:
    """The swarm as its agents show it."""
    try:
        found = socket.getaddrinfo(host, port, socket.AF_INET, socket.SOCK_STREAM)
    except socket.gaierror as err:
        raise NodeUnreachable(
            host, "agent", f"{host} does not resolve ({err.strerror}): no agent runs on the panel's network"
        ) from None
    addresses = sorted({str(info[4][0]) for info in found})

    def ask(address):
        name = agent.hostname(address, timeout)
        info = parse_info_probe(ReadOnlyNode(agent.AgentNode(name, address, secret, timeout)).read(T.INFO).stdout)
        return name, info.is_manager

    answers = {
        address: found for address, found in parallel(ask, addresses).items() if not isinstance(found, Exception)
    }
    if not answers:
        raise NodeUnreachable(host, "agent", f"none of the agents at {', '.join(addresses)} answered on port {port}")
    managers = sorted(name for name, control in answers.values() if control)
    if not managers:
        raise NodeUnreachable(host, "agent", "no agent runs on a node that controls the swarm (a manager)")
    manager = managers[0]
    specs = tuple(
        NodeSpec(name=name, address=address, role="manager" if name == manager else "worker")
        for address, (name, _) in sorted(answers.items(), key=lambda i: (i[1][0] != manager, i[1][0]))
    )
    return Cluster(Inventory(nodes=specs), {s.name: agent.AgentNode(s.name, s.address, secret, timeout) for s in specs})


class AgentSource:
    kind = "cluster"

    def __init__(
        self,
        host: str = "tasks.agent",
        port: int = agent.PORT,
        title: str = "Swarm",
        lang: str = "ru",
        secret: Optional[bytes] = None,
    ):
        self.host, self.port, self.title, self.lang = host, port, title, lang
        self.secret = secret if secret is not None else os.environ.get(agent.SECRET_ENV, "").encode()
        self.cluster: Optional[Cluster] = None
        self.mask = Masker()
        self.known: set = set()  # (node, container id) of the last read: the only containers whose logs are read
        self.view: Optional[ManagerView] = None
        self.images: dict = {}  # {node: the images its engine holds}, as last read

    def __call__(self, progress=None) -> dict:
        if not self.secret:
            raise NodeUnreachable(
                self.host,
                "agent",
                f"{agent.SECRET_ENV} is not set: the agents answer only a "
                f"panel that shares their secret (set it on both services)",
            )
        self.cluster = discover(self.host, self.port, self.secret)
        reader = lesson_reader(self.cluster)
        data = picture(reader, [], {}, title=self.title, part=2, lang=self.lang)
        data.pop("checks")
        images = {
            name: found
            for name, found in parallel(reader.images, reader.inventory.names).items()
            if not isinstance(found, Exception)
        }
        data["panel"] = panel_view(reader, images)
        self.known = {(c["node"], c["id"]) for c in data["panel"]["containers"]}
        view = reader.snapshot().manager
        self.view, self.images = (view if isinstance(view, ManagerView) else None), images
        for secret in view.secrets if isinstance(view, ManagerView) else ():
            self.mask.add(secret)
        return data

    def plan(self, form: dict) -> Plan:
        return plan(self.view, self.images, form, self.lang)

    def write(self, change: Plan, user: str, session: str) -> Result:
        """The change, run by the manager's agent for the user's session (the agent logs it with both)."""
        if self.cluster is None:
            raise LookupError("the panel has not read the cluster yet")
        manager = self.cluster.node(self.cluster.inventory.manager.name)
        assert isinstance(manager, agent.AgentNode)
        return agent.write(manager, change.command, user, session, timeout=change.template.timeout)

    def logs(self, node: str, container: str, tail: int = 200) -> list:
        """A container's last log lines, read through its node's agent; only a container the last read saw."""
        if self.cluster is None or (node, container) not in self.known:
            raise LookupError(f"no container {container[:12]} on {node} in the last read")
        return lesson_reader(self.cluster).container_logs(node, container, tail=tail)


def panel_view(reader: Reader, images: Optional[dict] = None) -> dict:
    """What Portainer's lists show: stacks, services (replicas, placement, the images each may be updated to),
    containers per node, volumes."""
    snapshot = reader.snapshot()
    view = snapshot.manager if isinstance(snapshot.manager, ManagerView) else None
    services, stacks = [], []
    if view is not None:
        for service in sorted(view.services, key=lambda s: s.name):
            on = {host: len(tasks) for host, tasks in sorted(view.running_on(service).items())}
            services.append(
                {
                    "name": service.name,
                    "stack": service.stack,
                    "mode": service.mode,
                    "image": service.image,
                    "running": sum(on.values()),
                    "wanted": view.wanted(service),
                    "replicas": service.replicas,
                    "constraints": list(service.constraints),
                    "nodes": on,
                    "ports": [str(p) for p in service.ports],
                    "endpoint_mode": service.endpoint_mode,
                    "update": service.update_state,
                    "choices": choices(view, images or {}, service.name),
                }
            )
        stacks = [
            {"name": name, "services": sorted(s.name for s in members)} for name, members in sorted(view.stacks.items())
        ]
    containers, volumes = [], []
    for name in reader.inventory.names:
        node_view = snapshot.nodes.get(name)
        if not isinstance(node_view, NodeView):
            continue
        users = {}
        for container in node_view.containers:
            for volume in container.volumes:
                users.setdefault(volume, []).append(container.name)
            containers.append(
                {
                    "id": container.id,
                    "name": container.name,
                    "node": name,
                    "image": container.image,
                    "state": container.state,
                    "health": container.health,
                    "service": container.service,
                    "stack": container.labels.get("com.docker.stack.namespace"),
                    "started": container.started,
                    "restarts": container.restarts,
                }
            )
        volumes += [
            {
                "name": v.name,
                "node": name,
                "driver": v.driver,
                "stack": v.labels.get("com.docker.stack.namespace"),
                "used_by": sorted(users.get(v.name, [])),
            }
            for v in sorted(node_view.volumes, key=lambda v: v.name)
        ]
    return {"stacks": stacks, "services": services, "containers": containers, "volumes": volumes}
