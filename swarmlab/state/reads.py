"""The read side of a cluster: everything the checks and the dashboard may learn, and nothing they may change.

State is read in few round trips: one batched shell on the manager and one per
node, in parallel (`read`), then, when a check needs it, one probe per node
that needs the first read's answers (`probes`): name lookups and pings from
inside the gateway, pings between the nodes, whether the stacks' bind-mount
sources exist. Every command goes through ReadOnlyNode, so a Reader cannot
send a write even by mistake.
"""

import json
import re
import threading
import time
from dataclasses import dataclass, field, replace
from typing import Optional, Union

from ..errors import NodeUnreachable
from ..transport.cluster import Cluster
from ..transport.web import FetchFailed
from . import templates as T
from .models import Container, Info, Interface, Network, Route, Service, SwarmNode, Task, Version, Volume
from .pages import parse as parse_page
from .readonly import ReadOnlyNode
from .views import ManagerView, NodeView


@dataclass(frozen=True)
class Focus:
    """What the lesson asks of a cluster beyond its state: the overlay its services share, the gateway service
    probed from, the upstream service it reaches by `upstream_name`, and the folder its stacks mount."""

    network: str
    gateway: str
    upstream: str
    upstream_name: str
    folder: str


def sections(text: str) -> dict:
    """Split a batched read's output at its '@@ name' markers."""
    found: dict = {}
    current = None
    for line in text.splitlines():
        if line.startswith("@@ "):
            current = line[3:].strip()
            found[current] = []
        elif current is not None and line.strip():
            found[current].append(line)
    return found


def json_lines(lines) -> list:
    parsed = []
    for line in lines:
        try:
            parsed.append(json.loads(line))
        except json.JSONDecodeError:
            continue
    return parsed


def parse_info(lines, ipvs_lines=()) -> Info:
    raw = next(iter(json_lines(lines[:1])), None)
    if raw is None:
        return Info({}, "ipvs=yes" in ipvs_lines, (lines[0][:200] if lines else "no docker"))
    # a client that cannot reach its daemon prints an empty info, then the reason (Docker 28 and newer)
    said = next((line[:200] for line in lines[1:] if line.strip() and not line.startswith("{")), None)
    return Info(raw, "ipvs=yes" in ipvs_lines, said)


def parse_manager(text: str) -> ManagerView:
    part = sections(text)
    return ManagerView(
        info=parse_info(part.get("info", [])),
        nodes=tuple(SwarmNode(n) for n in json_lines(part.get("nodes", []))),
        services=tuple(Service(s) for s in json_lines(part.get("services", []))),
        tasks=tuple(Task(t) for t in json_lines(part.get("tasks", []))),
        networks=tuple(Network(n) for n in json_lines(part.get("networks", []))),
        volumes=tuple(Volume(v) for v in json_lines(part.get("volumes", []))),
    )


def json_document(lines) -> list:
    """One JSON document spread over the section's lines (`ip -j` prints a list), or [] if it is not one."""
    try:
        found = json.loads("\n".join(lines))
    except json.JSONDecodeError:
        return []
    return found if isinstance(found, list) else []


def parse_node(text: str) -> NodeView:
    part = sections(text)
    level6 = {}
    for line in part.get("level6", []):
        digest, _, path = line.partition("  ")
        level6[path[2:] if path.startswith("./") else path] = digest
    clock = (part.get("clock") or [""])[0].strip()
    version: dict = next(iter(json_lines(part.get("version", [])[:1])), {})
    return NodeView(
        info=parse_info(part.get("info", []), part.get("ipvs", [])),
        containers=tuple(Container(c) for c in json_lines(part.get("containers", []))),
        volumes=tuple(Volume(v) for v in json_lines(part.get("volumes", []))),
        networks=tuple(Network(n) for n in json_lines(part.get("networks", []))),
        level6=level6,
        listeners=tuple(part.get("listeners", [])),
        interfaces=tuple(Interface(i) for i in json_document(part.get("addresses", [])) if isinstance(i, dict)),
        routes=tuple(Route(r) for r in json_document(part.get("routes", [])) if isinstance(r, dict)),
        version=Version(version if isinstance(version, dict) else {}),
        clock=float(clock) if re.fullmatch(r"\d{9,11}(\.\d+)?", clock) else None,
    )


def parse_info_probe(text: str) -> Info:
    lines = text.strip().splitlines()
    return parse_info(lines[:-1] or lines[:1], lines[-1:])


@dataclass(frozen=True)
class Ping:
    target: str
    small: bool
    large: bool


@dataclass(frozen=True)
class Probe:
    """What one node answered to the second round: from its gateway and from the node itself."""

    node: str
    gateway: Optional[str] = None  # the gateway container probed from, if one runs there
    upstream: frozenset = frozenset()  # what the upstream's name (php-fpm) resolves to inside it
    upstream_tasks: frozenset = frozenset()  # what tasks.<name> resolves to
    pings: tuple = ()  # Ping from the gateway to the upstream's tasks on other nodes (overlay)
    underlay: tuple = ()  # Ping from the node to the other nodes (their swarm addresses)
    missing_sources: tuple = ()  # bind-mount sources of the stacks that do not exist here
    error: Optional[str] = None


def _pings(lines) -> tuple:
    found = []
    for line in lines:
        words = line.split()
        if len(words) == 3:
            found.append(Ping(words[0], words[1] == "ok", words[2] == "ok"))
    return tuple(sorted(found, key=lambda p: p.target))


IPV4 = re.compile(r"\b(\d{1,3}(?:\.\d{1,3}){3})\b")


def _addresses(lines) -> frozenset:
    found: set = set()
    for line in lines:
        if "#53" in line or line.lower().startswith("server"):
            continue
        found.update(ip for ip in IPV4.findall(line) if ip != "127.0.0.11")
    return frozenset(found)


@dataclass(frozen=True)
class ProbePlan:
    node: str
    gateway: Optional[str]
    overlay_targets: tuple
    underlay_targets: tuple
    sources: tuple
    name: str = "php-fpm"  # the upstream's name, as the gateway resolves it

    @property
    def values(self) -> tuple:
        """The probe template's values: what a node's answers did not make fit its hole is left out."""
        return (
            tuple(p for p in self.sources if T.PATH.valid(p)),
            tuple(a for a in self.underlay_targets if T.IPV4.valid(a)),
            self.gateway if self.gateway and T.ID.valid(self.gateway) else "",
            self.name,
            tuple(a for a in self.overlay_targets if T.IPV4.valid(a)),
        )

    @property
    def empty(self) -> bool:
        sources, underlay, gateway, _, _ = self.values
        return not (sources or underlay or gateway)

    def parse(self, text: str) -> Probe:
        part = sections(text)
        return Probe(
            node=self.node,
            gateway=self.gateway,
            upstream=_addresses(part.get(self.name, [])),
            upstream_tasks=_addresses(part.get(f"tasks.{self.name}", [])),
            pings=_pings(part.get("pings", [])),
            underlay=_pings(part.get("underlay", [])),
            missing_sources=tuple(
                line.split(" ", 1)[1] for line in part.get("binds", []) if line.startswith("missing ")
            ),
            error=None if not self.gateway or "gateway" in part else "the gateway did not answer",
        )


@dataclass
class Snapshot:
    """The cluster as read at one moment; an unreadable part holds the exception that kept it unread."""

    manager: Union[ManagerView, Exception]
    nodes: dict = field(default_factory=dict)


class Reader:
    """One moment's reads of a cluster, cached: a check asks, the cluster is read once."""

    def __init__(self, cluster: Cluster, focus: Focus):
        self.cluster = cluster.wrapped(ReadOnlyNode)
        self.inventory = cluster.inventory
        self.focus = focus
        self._lock = threading.RLock()
        self._snapshot: Optional[Snapshot] = None
        self._probes: Optional[dict] = None
        self._pages: dict = {}
        self._logs: dict = {}
        self._known: dict = {}

    def _node(self, name: str) -> ReadOnlyNode:
        node = self.cluster.node(name)
        assert isinstance(node, ReadOnlyNode)
        return node

    # -- the first round: everything at once ----------------------------------------------

    def remember(self, manager: ManagerView, nodes: dict) -> None:
        """What was already read of this moment (the grader's finding of the cluster): not read again."""
        with self._lock:
            self._known = {"@manager": manager, **nodes}

    def snapshot(self) -> Snapshot:
        with self._lock:
            if self._snapshot is None:
                manager = self.inventory.manager.name

                def read(key):
                    if key in self._known:
                        return self._known[key]
                    if key == "@manager":
                        return read_manager_of(self._node(manager))
                    return read_node_of(self._node(key), self.focus.folder)

                found = self.cluster.map(read, ["@manager", *self.inventory.names])
                self._snapshot = Snapshot(found.pop("@manager"), found)
            return self._snapshot

    def manager(self) -> ManagerView:
        """The manager's view; raises what kept it unread (an unreachable node)."""
        view = self.snapshot().manager
        if isinstance(view, Exception):
            raise view
        return view

    def node(self, name: str) -> NodeView:
        view = self.snapshot().nodes[name]
        if isinstance(view, Exception):
            raise view
        return view

    # -- the second round: probes that need the first round's answers ---------------------

    def probes(self) -> dict:
        """{node: Probe or the exception that kept it from answering}, every node at once."""
        with self._lock:
            if self._probes is None:
                plans = self._plans()

                def probe(name):
                    return plans[name].parse(self._node(name).read(T.PROBE, *plans[name].values).stdout)

                self._probes = self.cluster.map(probe, [name for name, plan in plans.items() if not plan.empty])
            return self._probes

    def _plans(self) -> dict:
        try:
            view = self.manager()
        except Exception:
            return {}
        focus = self.focus
        overlay = view.network(focus.network)
        upstream = view.service(focus.upstream)
        upstream_tasks = view.tasks_of(upstream) if upstream else []
        gateway = view.service(focus.gateway)
        sources = sorted({m.source for s in view.services if s.stack for m in s.mounts if m.type == "bind"})
        addresses = {n.hostname: n.addr for n in view.nodes if n.ready and n.addr}
        plans = {}
        for name in self.inventory.names:
            node_view = self.snapshot().nodes.get(name)
            container = None
            if gateway is not None and isinstance(node_view, NodeView):
                container = next((c for c in node_view.running(gateway.name)), None)
            targets = []
            if overlay is not None:
                elsewhere: dict = {}
                for task in upstream_tasks:
                    host = view.hostname_of(task)
                    if host != name and task.addresses.get(overlay.id):
                        elsewhere.setdefault(host, task.addresses[overlay.id])
                targets = [elsewhere[h] for h in sorted(elsewhere)]
            underlay = [addr for host, addr in sorted(addresses.items()) if host != name]
            plans[name] = ProbePlan(
                name,
                container.id if container else None,
                tuple(targets),
                tuple(underlay),
                tuple(sources) if isinstance(node_view, NodeView) else (),
                focus.upstream_name,
            )
        return plans

    def unattached(self) -> list:
        """(host, task, container, address) of the upstream's running tasks whose container runs without the
        overlay address the manager gave the task (seen after the homework's redeploy on one node): no wait
        attaches it, a new task is attached afresh."""
        try:
            view = self.manager()
        except Exception:
            return []
        overlay, upstream = view.network(self.focus.network), view.service(self.focus.upstream)
        if overlay is None or upstream is None:
            return []
        found = []
        for task in view.tasks_of(upstream):
            host, address = view.hostname_of(task), task.addresses.get(overlay.id)
            node = self.snapshot().nodes.get(host)
            container = node.container_of(task) if isinstance(node, NodeView) else None
            if address and container is not None and container.running:
                if not container.addresses.get(self.focus.network):
                    found.append((host, task, container, address))
        return sorted(found, key=lambda f: (f[0], f[2].name))

    def overlay_problems(self) -> list:
        """What keeps the overlay from having converged, as the gateways see it: DNS that does not list exactly
        the upstream's running tasks, or packets that do not reach it on another node. Empty when it has."""
        try:
            view = self.manager()
        except Exception as err:
            return [str(err)]
        focus = self.focus
        overlay, upstream = view.network(focus.network), view.service(focus.upstream)
        if overlay is None or upstream is None:
            return []
        where = {t.addresses.get(overlay.id): view.hostname_of(t) for t in view.tasks_of(upstream)}
        problems = [
            f"{container.name} runs on {host} without its address on {focus.network} ({address}): its container is "
            f"not attached, and waiting does not attach it; `docker service update --force {focus.upstream}` does"
            for host, _, container, address in self.unattached()
        ]
        for name, probe in self.probes().items():
            if isinstance(probe, Exception):
                problems.append(f"{name}: {probe}")
            elif probe.gateway is not None:
                if probe.upstream_tasks != set(where):
                    said = (
                        f"{name} resolves tasks.{focus.upstream_name} to {len(probe.upstream_tasks)} "
                        f"addresses for {len(where)} tasks"
                    )
                    held = self.listed_tasks(name)
                    if held is not None:
                        known = len(held & set(where))
                        said += f" (`docker network inspect -v {focus.network}` there lists {known} of them)"
                    problems.append(said)
                problems += [
                    f"{name} → {where.get(p.target, p.target)} ({p.target}) loses packets"
                    for p in probe.pings
                    if not (p.small and p.large)
                ]
        return problems

    def listed_tasks(self, name: str) -> Optional[frozenset]:
        """The upstream's task addresses that node `name`'s NetworkDB lists, None where its read shows no overlay:
        beside a DNS answer that differs, whether the node never learnt the tasks or its DNS does not answer what
        it knows."""
        node = self.snapshot().nodes.get(name)
        overlay = node.network(self.focus.network) if isinstance(node, NodeView) else None
        return None if overlay is None else overlay.task_addresses(self.focus.upstream)

    # -- on demand: evidence and pages ----------------------------------------------------

    def service_logs(self, service: str, tail: int = 20) -> list:
        """The service's last log lines, as `docker service logs` shows them on the manager (every task's at once)."""
        return self._log_lines(("service", service, tail), self.inventory.manager.name, T.SERVICE_LOGS, tail, service)

    def task_logs(self, task: str, tail: int = 20) -> list:
        """One task's own last log lines (`docker service logs TASK`), not the interleaving of its siblings'."""
        return self._log_lines(("task", task, tail), self.inventory.manager.name, T.TASK_LOGS, tail, task)

    def container_logs(self, node: str, container: str, tail: int = 20) -> list:
        return self._log_lines(("container", node, container, tail), node, T.CONTAINER_LOGS, tail, container)

    def _log_lines(self, key: tuple, node: str, template: T.Template, *values) -> list:
        with self._lock:
            if key not in self._logs:
                result = self._node(node).read(template, *values)
                self._logs[key] = [line for line in result.stdout.splitlines() if line.strip()]
            return self._logs[key]

    def images(self, node: str) -> list:
        """The images the node's engine holds, as `docker image ls` names them (repository:tag; untagged ones
        left out): what a service there can run without a registry."""
        lines = self._log_lines(("images", node), node, T.IMAGES)
        found = {
            f"{i.get('Repository')}:{i.get('Tag')}"
            for i in json_lines(lines)
            if isinstance(i, dict) and "<none>" not in (i.get("Repository"), i.get("Tag"))
        }
        return sorted(found)

    def volume_files(self, node: str, volume: str, folder: str) -> list:
        """The files of `folder` in the node's copy of a named volume (which copy of the db's data has the tables)."""
        key = ("volume", node, volume, folder)
        with self._lock:
            if key not in self._logs:
                self._logs[key] = volume_files(self.cluster, node, volume, folder)
            return self._logs[key]

    def page(self, node: str, path: str = "/"):
        """The node's page (a Page), or the FetchFailed that says why a browser would show none; cached."""
        key = (node, path)
        with self._lock:
            if key in self._pages:
                return self._pages[key]
        found = self.fetch(node, path, timeout=5)
        with self._lock:
            return self._pages.setdefault(key, found)

    def fetch(self, node: str, path: str = "/", scheme: str = "http", port=None, timeout: float = 10):
        """Any page of the node as a Page, or the FetchFailed that says why there is none; not cached."""
        try:
            return parse_page(*self.cluster.page(node, path, timeout=timeout, scheme=scheme, port=port))
        except FetchFailed as failed:
            return failed


def read_manager_of(node, timeout: Optional[float] = None) -> ManagerView:
    return parse_manager(node.read(T.MANAGER, timeout=timeout).stdout)


def read_node_of(node, folder: str, timeout: Optional[float] = None) -> NodeView:
    """One node's view, with its clock placed against this machine's: the middle of the read's round trip."""
    sent = time.time()
    found = parse_node(node.read(T.NODE, folder, folder, timeout=timeout).stdout)
    return replace(found, read_at=(sent + time.time()) / 2)


def read_only(node) -> ReadOnlyNode:
    return node if isinstance(node, ReadOnlyNode) else ReadOnlyNode(node)


def database_folder(database: str) -> str:
    """The folder MySQL (and MariaDB) keep a database in: `lemp-db` is `lemp@002ddb` on disk."""
    return "".join(c if c.isascii() and (c.isalnum() or c == "_") else f"@{ord(c):04x}" for c in database)


def volume_files(cluster: Cluster, node: str, volume: str, folder: str) -> list:
    """The files of `folder` inside the node's copy of a named volume (a database's tables); [] when there are
    none or the node does not answer."""
    try:
        done = read_only(cluster.node(node)).read(T.VOLUME_FILES, volume, folder)
    except NodeUnreachable:
        return []
    return [line.strip() for line in done.stdout.splitlines() if line.strip()]


def read_info(cluster: Cluster, name: str) -> Info:
    """One node's engine and IPVS, in one round trip (for the driver and `lab status`)."""
    return parse_info_probe(read_only(cluster.node(name)).read(T.INFO).stdout)


def read_manager(cluster: Cluster) -> ManagerView:
    return read_manager_of(read_only(cluster.manager))


def read_nodes(cluster: Cluster, folder: str) -> dict:
    """{node name: NodeView or the exception that kept it unread}."""
    return cluster.map(lambda name: read_node_of(read_only(cluster.node(name)), folder))
