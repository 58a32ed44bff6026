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
from dataclasses import dataclass, field
from typing import Optional, Union

from ..transport.base import quote
from ..transport.cluster import Cluster
from ..transport.web import FetchFailed
from .models import Container, Info, Network, Service, SwarmNode, Task, Volume
from .pages import parse as parse_page
from .readonly import ReadOnlyNode
from .views import ManagerView, NodeView

# /proc/net/ip_vs appears only once the module is loaded (Ubuntu loads it on demand),
# so a loadable module or a kernel config that has it counts as present too.
IPVS_PROBE = (
    "{ [ -e /proc/net/ip_vs ] || [ -d /proc/sys/net/ipv4/vs ] || modinfo ip_vs >/dev/null 2>&1 "
    "|| grep -qs '^CONFIG_IP_VS=[ym]' /boot/config-$(uname -r); } && echo ipvs=yes || echo ipvs=no"
)

MANAGER_READ = r"""
echo '@@ info'; docker info --format '{{json .}}' 2>/dev/null
echo '@@ nodes'; n=$(docker node ls -q 2>/dev/null); [ -z "$n" ] || docker node inspect --format '{{json .}}' $n
echo '@@ services'; s=$(docker service ls -q 2>/dev/null); [ -z "$s" ] || docker service inspect --format '{{json .}}' $s
echo '@@ tasks'; [ -z "$s" ] || { t=$(docker service ps -q --no-trunc $s 2>/dev/null); [ -z "$t" ] || docker inspect --type task --format '{{json .}}' $t; }
echo '@@ networks'; w=$(docker network ls -q 2>/dev/null); [ -z "$w" ] || docker network inspect --format '{{json .}}' $w
echo '@@ volumes'; docker volume ls --format '{{json .}}' 2>/dev/null
true
"""  # noqa: E501  (a script, sent as written)


def node_read(folder: str) -> str:
    """One node's batched read: its engine, containers, volumes, overlay networks (with their peers), IPVS, the
    lesson's folder (a digest per file), what listens on its ports and its links' MTU."""
    return (
        r"""
echo '@@ info'; docker info --format '{{json .}}' 2>/dev/null
echo '@@ containers'; c=$(docker ps -aq 2>/dev/null); [ -z "$c" ] || docker inspect --format '{{json .}}' $c
echo '@@ volumes'; docker volume ls --format '{{json .}}' 2>/dev/null
echo '@@ networks'; o=$(docker network ls -q --filter driver=overlay 2>/dev/null); [ -z "$o" ] || docker network inspect -v --format '{{json .}}' $o 2>/dev/null
echo '@@ ipvs'; """  # noqa: E501  (a script, sent as written)
        + IPVS_PROBE
        + f"""
echo '@@ level6'; [ ! -d {folder} ] || (cd {folder} && find . -type f -print0 | sort -z | xargs -0 -r sha256sum)
echo '@@ listeners'; ss -Htlnp 2>/dev/null
echo '@@ mtu'; ip -o link show 2>/dev/null
true
"""
    )


@dataclass(frozen=True)
class Focus:
    """What the lesson asks of a cluster beyond its state: the overlay its services share, the gateway service
    probed from, the upstream service it reaches by `upstream_name`, and the folder its stacks mount."""

    network: str
    gateway: str
    upstream: str
    upstream_name: str
    folder: str


INFO_READ = "docker info --format '{{json .}}' 2>/dev/null; " + IPVS_PROBE
LOOKUP = "getent ahostsv4 %s 2>/dev/null || nslookup %s 2>/dev/null || true"
SAMPLES = 12
LARGE = 1400  # ping payload that fills an overlay packet (MTU 1450) but not an underlay one (1500)


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
    return Info(raw, "ipvs=yes" in ipvs_lines)


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


def parse_node(text: str) -> NodeView:
    part = sections(text)
    level6 = {}
    for line in part.get("level6", []):
        digest, _, path = line.partition("  ")
        level6[path[2:] if path.startswith("./") else path] = digest
    mtu = {}
    for line in part.get("mtu", []):
        words = line.split()
        if len(words) > 4 and "mtu" in words:
            mtu[words[1].rstrip(":").split("@")[0]] = int(words[words.index("mtu") + 1])
    return NodeView(
        info=parse_info(part.get("info", []), part.get("ipvs", [])),
        containers=tuple(Container(c) for c in json_lines(part.get("containers", []))),
        volumes=tuple(Volume(v) for v in json_lines(part.get("volumes", []))),
        networks=tuple(Network(n) for n in json_lines(part.get("networks", []))),
        level6=level6,
        listeners=tuple(part.get("listeners", [])),
        mtu=mtu,
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

    def script(self) -> tuple:
        """(command, args): one shell for everything this node is asked in the second round."""
        parts: list = []
        args: list = []
        if self.sources:
            parts.append(
                "echo '@@ binds'; for p in "
                + " ".join(["%s"] * len(self.sources))
                + '; do [ -e "$p" ] && echo "ok $p" || echo "missing $p"; done'
            )
            args += self.sources
        if self.underlay_targets:
            parts.append(
                "echo '@@ underlay'; for a in "
                + " ".join(["%s"] * len(self.underlay_targets))
                + "; do (ping -c 1 -W 2 $a >/dev/null 2>&1 && s=ok || s=fail; "
                "ping -c 1 -W 2 -M do -s 1472 $a >/dev/null 2>&1 && b=ok || b=fail; "
                'echo "$a $s $b") & done; wait'
            )
            args += self.underlay_targets
        if self.gateway:
            tasks = f"tasks.{self.name}"
            inner = [
                f"echo '@@ {self.name}'; " + quote(LOOKUP, self.name, self.name),
                f"echo '@@ {tasks}'; " + quote(LOOKUP, tasks, tasks),
            ]
            if self.overlay_targets:
                inner.append(
                    "echo '@@ pings'; for a in "
                    + " ".join(quote("%s", t) for t in self.overlay_targets)
                    + f"; do (ping -c 1 -W 2 $a >/dev/null 2>&1 && s=ok || s=fail; "
                    f"ping -c 1 -W 2 -s {LARGE} $a >/dev/null 2>&1 && b=ok || b=fail; "
                    'echo "$a $s $b") & done; wait'
                )
            parts.append("echo '@@ gateway'; timeout 20 docker exec %s sh -c %s")
            args += [self.gateway, "; ".join(inner)]
        return "; ".join(parts) + "; true", args

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

    # -- the first round: everything at once ----------------------------------------------

    def snapshot(self) -> Snapshot:
        with self._lock:
            if self._snapshot is None:
                manager = self.inventory.manager.name
                script = node_read(self.focus.folder)

                def read(key):
                    if key == "@manager":
                        return parse_manager(self.cluster.node(manager).run(MANAGER_READ, timeout=60).stdout)
                    return parse_node(self.cluster.node(key).run(script, timeout=60).stdout)

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
                    command, args = plans[name].script()
                    return plans[name].parse(self.cluster.node(name).run(command, *args, timeout=45).stdout)

                self._probes = self.cluster.map(probe, [name for name, plan in plans.items() if plan.script()[1]])
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
        problems = []
        for name, probe in self.probes().items():
            if isinstance(probe, Exception):
                problems.append(f"{name}: {probe}")
            elif probe.gateway is not None:
                if probe.upstream_tasks != set(where):
                    problems.append(
                        f"{name} resolves tasks.{focus.upstream_name} to {len(probe.upstream_tasks)} "
                        f"addresses for {len(where)} tasks"
                    )
                problems += [
                    f"{name} → {where.get(p.target, p.target)} ({p.target}) loses packets"
                    for p in probe.pings
                    if not (p.small and p.large)
                ]
        return problems

    # -- on demand: evidence and pages ----------------------------------------------------

    def service_logs(self, service: str, tail: int = 20) -> list:
        """The service's last log lines, as `docker service logs` shows them on the manager."""
        key = ("service", service, tail)
        with self._lock:
            if key not in self._logs:
                result = self.cluster.manager.run(
                    "timeout 15 docker service logs --raw --tail %s %s 2>&1", tail, service, timeout=30
                )
                self._logs[key] = [line for line in result.stdout.splitlines() if line.strip()]
            return self._logs[key]

    def container_logs(self, node: str, container: str, tail: int = 20) -> list:
        key = ("container", node, container, tail)
        with self._lock:
            if key not in self._logs:
                result = self.cluster.node(node).run(
                    "timeout 15 docker logs --tail %s %s 2>&1", tail, container, timeout=30
                )
                self._logs[key] = [line for line in result.stdout.splitlines() if line.strip()]
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


def read_info(cluster: Cluster, name: str) -> Info:
    """One node's engine and IPVS, in one round trip (for the driver and `lab status`)."""
    return parse_info_probe(ReadOnlyNode(cluster.node(name)).run(INFO_READ, timeout=30).stdout)


def read_manager(cluster: Cluster) -> ManagerView:
    return parse_manager(ReadOnlyNode(cluster.manager).run(MANAGER_READ, timeout=60).stdout)


def read_nodes(cluster: Cluster, folder: str) -> dict:
    """{node name: NodeView or the exception that kept it unread}."""
    script = node_read(folder)
    return cluster.map(lambda name: parse_node(ReadOnlyNode(cluster.node(name)).run(script, timeout=60).stdout))
