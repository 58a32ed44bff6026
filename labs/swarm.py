"""Typed views of what a node's engine says, read in one round trip per node.

Everything is read with `--format '{{json .}}'` and parsed here; nothing in
swarmlab scrapes the column-aligned tables that the lesson shows students.
"""

import json
from dataclasses import dataclass
from typing import Optional

# /proc/net/ip_vs appears only once the module is loaded (Ubuntu loads it on demand),
# so a loadable module or a kernel config that has it counts as present too.
IPVS_PROBE = ("{ [ -e /proc/net/ip_vs ] || [ -d /proc/sys/net/ipv4/vs ] || modinfo ip_vs >/dev/null 2>&1 "
              "|| grep -qs '^CONFIG_IP_VS=[ym]' /boot/config-$(uname -r); } && echo ipvs=yes || echo ipvs=no")

NODE_PROBE = ("docker info --format '{{json .}}' 2>/dev/null || echo '{\"error\": \"no docker\"}'; "
              + IPVS_PROBE)


@dataclass(frozen=True)
class NodeFacts:
    """What one node's engine says of itself (engine None: docker missing or not answering)."""

    engine: Optional[str]
    swarm: Optional[str]
    node_id: Optional[str]
    is_manager: bool
    ipvs: bool
    error: Optional[str] = None
    manager_addr: Optional[str] = None  # host:port that workers join, as `docker swarm join-token` prints


def parse_node_probe(text: str) -> NodeFacts:
    lines = text.strip().splitlines()
    ipvs = bool(lines) and lines[-1].strip() == "ipvs=yes"
    try:
        info = json.loads(lines[0]) if lines else {}
    except json.JSONDecodeError:
        info = {"error": lines[0][:200] if lines else "no output"}
    if not info.get("ServerVersion"):
        return NodeFacts(None, None, None, False, ipvs, info.get("error") or "docker did not answer")
    swarm = info.get("Swarm") or {}
    return NodeFacts(
        engine=info["ServerVersion"],
        swarm=swarm.get("LocalNodeState") or "inactive",
        node_id=swarm.get("NodeID") or None,
        is_manager=bool(swarm.get("ControlAvailable")),
        ipvs=ipvs,
        manager_addr=next((m.get("Addr") for m in swarm.get("RemoteManagers") or []
                           if m.get("NodeID") == swarm.get("NodeID")), None),
    )


def probe_node(cluster, name: str) -> NodeFacts:
    return parse_node_probe(cluster.run(name, NODE_PROBE, timeout=30).stdout)


LESSON_DIR = "/opt/docker-lessons/level6"

# One round trip to the manager: everything the lesson's commands would show, as JSON.
MANAGER_READ = r"""
echo '@@ info'; docker info --format '{{json .}}' 2>/dev/null
echo '@@ nodes'; n=$(docker node ls -q 2>/dev/null); [ -z "$n" ] || docker node inspect --format '{{json .}}' $n
echo '@@ services'; s=$(docker service ls -q 2>/dev/null); [ -z "$s" ] || docker service inspect --format '{{json .}}' $s
echo '@@ tasks'; [ -z "$s" ] || { t=$(docker service ps -q --no-trunc $s 2>/dev/null); [ -z "$t" ] || docker inspect --type task --format '{{json .}}' $t; }
echo '@@ networks'; w=$(docker network ls -q 2>/dev/null); [ -z "$w" ] || docker network inspect --format '{{json .}}' $w
echo '@@ volumes'; docker volume ls --format '{{json .}}' 2>/dev/null
true
"""

# One round trip to each node: its engine, its containers (health included), volumes, IPVS, level6.
NODE_READ = r"""
echo '@@ info'; docker info --format '{{json .}}' 2>/dev/null
echo '@@ containers'; c=$(docker ps -aq 2>/dev/null); [ -z "$c" ] || docker inspect --format '{{json .}}' $c
echo '@@ volumes'; docker volume ls --format '{{json .}}' 2>/dev/null
echo '@@ ipvs'; """ + IPVS_PROBE + f"""
echo '@@ level6'; [ ! -d {LESSON_DIR} ] || (cd {LESSON_DIR} && find . -type f -print0 | sort -z | xargs -0 -r sha256sum)
true
"""


@dataclass(frozen=True)
class SwarmNode:
    id: str
    hostname: str
    role: str
    state: str
    availability: str
    leader: bool
    addr: str
    engine: str


@dataclass(frozen=True)
class Port:
    target: int
    published: int
    protocol: str
    mode: str


@dataclass(frozen=True)
class Service:
    id: str
    name: str
    stack: Optional[str]
    mode: str
    replicas: Optional[int]
    image: str
    hostname: str
    endpoint_mode: str
    vips: dict
    ports: tuple
    networks: tuple
    constraints: tuple


@dataclass(frozen=True)
class Task:
    id: str
    service_id: str
    node_id: str
    slot: Optional[int]
    desired_state: str
    state: str
    error: str
    addresses: dict
    container_id: Optional[str]

    @property
    def running(self) -> bool:
        return self.desired_state == "running" and self.state == "running"


@dataclass(frozen=True)
class Network:
    id: str
    name: str
    driver: str
    scope: str
    labels: dict
    containers: dict


@dataclass(frozen=True)
class Container:
    id: str
    name: str
    state: str
    health: Optional[str]
    task_id: Optional[str]
    service: Optional[str]


@dataclass(frozen=True)
class ManagerView:
    facts: NodeFacts
    nodes: tuple
    services: tuple
    tasks: tuple
    networks: tuple
    volumes: tuple

    def service(self, name: str) -> Optional[Service]:
        return next((s for s in self.services if s.name == name), None)

    def network(self, name: str) -> Optional[Network]:
        return next((n for n in self.networks if n.name == name), None)

    def tasks_of(self, service: Service, running_only: bool = True) -> list:
        return [t for t in self.tasks if t.service_id == service.id and (t.running or not running_only)]

    def node_by_id(self, node_id: str) -> Optional[SwarmNode]:
        return next((n for n in self.nodes if n.id == node_id), None)

    @property
    def stacks(self) -> dict:
        stacks = {}
        for service in self.services:
            if service.stack:
                stacks.setdefault(service.stack, []).append(service)
        return stacks

    def eligible_nodes(self) -> list:
        return [n for n in self.nodes if n.state == "ready" and n.availability == "active"]

    def converged(self, service: Service) -> bool:
        """Every task the service wants is running (global: one per ready, active node)."""
        running = self.tasks_of(service)
        if service.mode == "global":
            wanted = {n.id for n in self.eligible_nodes()}
            return wanted == {t.node_id for t in running} and len(running) == len(wanted)
        return len(running) == service.replicas


@dataclass(frozen=True)
class NodeView:
    facts: NodeFacts
    containers: tuple
    volumes: tuple
    level6: dict

    def container_of(self, task: Task) -> Optional[Container]:
        return next((c for c in self.containers if c.task_id == task.id), None)


def sections(text: str) -> dict:
    """Split a batched read's output at its '@@ name' markers."""
    found, current = {}, None
    for line in text.splitlines():
        if line.startswith("@@ "):
            current = line[3:].strip()
            found[current] = []
        elif current is not None and line.strip():
            found[current].append(line)
    return found


def _json_lines(lines) -> list:
    parsed = []
    for line in lines:
        try:
            parsed.append(json.loads(line))
        except json.JSONDecodeError:
            continue
    return parsed


def _facts(part: dict) -> NodeFacts:
    info = (part.get("info") or ["{}"])[0]
    ipvs = "ipvs=yes" in part.get("ipvs", [])
    return parse_node_probe(info + "\n" + ("ipvs=yes" if ipvs else "ipvs=no"))


def parse_manager(text: str) -> ManagerView:
    part = sections(text)
    nodes = tuple(_node(n) for n in _json_lines(part.get("nodes", [])))
    services = tuple(_service(s) for s in _json_lines(part.get("services", [])))
    tasks = tuple(_task(t) for t in _json_lines(part.get("tasks", [])))
    networks = tuple(_network(n) for n in _json_lines(part.get("networks", [])))
    volumes = tuple(v.get("Name") for v in _json_lines(part.get("volumes", [])))
    return ManagerView(_facts(part), nodes, services, tasks, networks, volumes)


def parse_node(text: str) -> NodeView:
    part = sections(text)
    containers = tuple(_container(c) for c in _json_lines(part.get("containers", [])))
    volumes = tuple(v.get("Name") for v in _json_lines(part.get("volumes", [])))
    level6 = {}
    for line in part.get("level6", []):
        digest, _, path = line.partition("  ")
        level6[path[2:] if path.startswith("./") else path] = digest
    return NodeView(_facts(part), containers, volumes, level6)


def _node(raw: dict) -> SwarmNode:
    spec, status = raw.get("Spec", {}), raw.get("Status", {})
    manager = raw.get("ManagerStatus") or {}
    return SwarmNode(
        id=raw["ID"], hostname=raw.get("Description", {}).get("Hostname", ""), role=spec.get("Role", ""),
        state=status.get("State", ""), availability=spec.get("Availability", ""),
        leader=bool(manager.get("Leader")), addr=status.get("Addr", ""),
        engine=raw.get("Description", {}).get("Engine", {}).get("EngineVersion", ""))


def _service(raw: dict) -> Service:
    spec = raw.get("Spec", {})
    task = spec.get("TaskTemplate", {})
    container = task.get("ContainerSpec", {})
    mode = "global" if "Global" in spec.get("Mode", {}) else "replicated"
    endpoint = raw.get("Endpoint", {})
    ports = tuple(Port(p.get("TargetPort", 0), p.get("PublishedPort", 0), p.get("Protocol", "tcp"),
                       p.get("PublishMode", "ingress"))
                  for p in (spec.get("EndpointSpec", {}).get("Ports") or []))
    networks = tuple(n.get("Target", "") for n in (task.get("Networks") or spec.get("Networks") or []))
    return Service(
        id=raw["ID"], name=spec.get("Name", ""), stack=spec.get("Labels", {}).get("com.docker.stack.namespace"),
        mode=mode, replicas=spec.get("Mode", {}).get("Replicated", {}).get("Replicas") if mode == "replicated" else None,
        image=container.get("Image", "").split("@")[0], hostname=container.get("Hostname", ""),
        endpoint_mode=spec.get("EndpointSpec", {}).get("Mode", "vip"),
        vips={v.get("NetworkID"): v.get("Addr", "").split("/")[0] for v in (endpoint.get("VirtualIPs") or [])},
        ports=ports, networks=networks,
        constraints=tuple(task.get("Placement", {}).get("Constraints") or ()))


def _task(raw: dict) -> Task:
    status = raw.get("Status", {})
    addresses = {}
    for attachment in raw.get("NetworksAttachments") or []:
        ips = [a.split("/")[0] for a in attachment.get("Addresses") or []]
        if ips:
            addresses[attachment.get("Network", {}).get("ID")] = ips[0]
    return Task(
        id=raw["ID"], service_id=raw.get("ServiceID", ""), node_id=raw.get("NodeID", ""), slot=raw.get("Slot"),
        desired_state=raw.get("DesiredState", ""), state=status.get("State", ""), error=status.get("Err", ""),
        addresses=addresses, container_id=status.get("ContainerStatus", {}).get("ContainerID"))


def _network(raw: dict) -> Network:
    return Network(id=raw.get("Id", ""), name=raw.get("Name", ""), driver=raw.get("Driver", ""),
                   scope=raw.get("Scope", ""), labels=raw.get("Labels") or {},
                   containers={k: v.get("IPv4Address", "").split("/")[0]
                               for k, v in (raw.get("Containers") or {}).items()})


def _container(raw: dict) -> Container:
    labels = raw.get("Config", {}).get("Labels") or {}
    state = raw.get("State", {})
    return Container(
        id=raw.get("Id", ""), name=raw.get("Name", "").lstrip("/"), state=state.get("Status", ""),
        health=(state.get("Health") or {}).get("Status"), task_id=labels.get("com.docker.swarm.task.id"),
        service=labels.get("com.docker.swarm.service.name"))


def read_manager(cluster) -> ManagerView:
    return parse_manager(cluster.run(cluster.inventory.manager.name, MANAGER_READ, timeout=60).stdout)


def read_nodes(cluster) -> dict:
    """{node name: NodeView or the exception that kept us from reading it}."""
    return cluster.map(lambda name: parse_node(cluster.run(name, NODE_READ, timeout=60).stdout))
