"""Typed views of what the engines say, each keeping the JSON it was read from.

As docker-py's models do, every object holds `raw` (one `--format '{{json .}}'`
line) and derives its properties from it: a field the checks need later is one
property, and engines that print a field differently (20.10 and 26.1) are
reconciled in one place. Nothing here scrapes the column-aligned tables the
lesson shows students.
"""

import ipaddress
import re
from datetime import datetime
from typing import Optional

from .templates import IPV4


def dig(raw, *path, default=None):
    """raw[path[0]][path[1]]..., or `default` where any step is missing or null."""
    for key in path:
        if not isinstance(raw, dict) or raw.get(key) is None:
            return default
        raw = raw[key]
    return raw


def _ip(address: str) -> str:
    return (address or "").split("/")[0]


def when(stamp: str) -> Optional[datetime]:
    """An engine's RFC 3339 time (nanoseconds, `Z`) as an aware datetime; None for the zero or no time."""
    found = re.match(r"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(\.\d+)?(Z|[+-]\d\d:\d\d)$", stamp or "")
    if not found or found.group(1).startswith("0001"):
        return None
    fraction = (found.group(2) or ".0")[:7]
    zone = "+00:00" if found.group(3) == "Z" else found.group(3)
    return datetime.fromisoformat(found.group(1) + fraction + zone)


class Model:
    def __init__(self, raw: dict):
        self.raw = raw

    def __eq__(self, other):
        return type(self) is type(other) and self.raw == other.raw

    def __hash__(self):
        return hash((type(self).__name__, self.id))

    def __repr__(self):
        return f"<{type(self).__name__} {getattr(self, 'name', '') or self.id}>"

    @property
    def id(self) -> str:
        return self.raw.get("ID") or self.raw.get("Id") or ""


class Info(Model):
    """`docker info` of one engine; `ipvs` comes from the node's kernel, not the engine."""

    def __init__(self, raw: dict, ipvs: bool = False, error: Optional[str] = None):
        super().__init__(raw)
        self.ipvs = ipvs
        self._error = error

    @property
    def engine(self) -> Optional[str]:
        return self.raw.get("ServerVersion") or None

    @property
    def error(self) -> Optional[str]:
        if self.engine:
            return None
        # newer clients answer a daemon they cannot reach with JSON of their own, its words in ServerErrors
        server = self.raw.get("ServerErrors")
        said = "; ".join(map(str, server)) if isinstance(server, list) and server else ""
        return self._error or self.raw.get("error") or said or "docker did not answer"

    @property
    def swarm(self) -> Optional[str]:
        """inactive, pending, active, error or locked; None when docker does not answer."""
        return (dig(self.raw, "Swarm", "LocalNodeState") or "inactive") if self.engine else None

    @property
    def swarm_error(self) -> str:
        return dig(self.raw, "Swarm", "Error", default="")

    @property
    def node_id(self) -> Optional[str]:
        return dig(self.raw, "Swarm", "NodeID") or None

    @property
    def firewall_backend(self) -> str:
        """iptables or nftables (Docker 28 and newer say; older engines only have iptables)."""
        return dig(self.raw, "FirewallBackend", "Driver", default="iptables")

    @property
    def cluster_id(self) -> Optional[str]:
        return dig(self.raw, "Swarm", "Cluster", "ID") or None

    @property
    def node_addr(self) -> Optional[str]:
        return dig(self.raw, "Swarm", "NodeAddr") or None

    @property
    def is_manager(self) -> bool:
        return bool(dig(self.raw, "Swarm", "ControlAvailable"))

    @property
    def manager_addr(self) -> Optional[str]:
        """host:port that workers join, as `docker swarm join-token` prints it."""
        return next(
            (
                m.get("Addr")
                for m in dig(self.raw, "Swarm", "RemoteManagers", default=[])
                if m.get("NodeID") == self.node_id
            ),
            None,
        )

    @property
    def hostname(self) -> str:
        return self.raw.get("Name", "")


class SwarmNode(Model):
    """An entry of `docker node ls`."""

    @property
    def hostname(self) -> str:
        return dig(self.raw, "Description", "Hostname", default="")

    @property
    def role(self) -> str:
        return dig(self.raw, "Spec", "Role", default="")

    @property
    def availability(self) -> str:
        return dig(self.raw, "Spec", "Availability", default="")

    @property
    def labels(self) -> dict:
        return dig(self.raw, "Spec", "Labels", default={})

    @property
    def state(self) -> str:
        return dig(self.raw, "Status", "State", default="")

    @property
    def message(self) -> str:
        return dig(self.raw, "Status", "Message", default="")

    @property
    def addr(self) -> str:
        return dig(self.raw, "Status", "Addr", default="")

    @property
    def leader(self) -> bool:
        return bool(dig(self.raw, "ManagerStatus", "Leader"))

    @property
    def reachability(self) -> Optional[str]:
        return dig(self.raw, "ManagerStatus", "Reachability")

    @property
    def engine(self) -> str:
        return dig(self.raw, "Description", "Engine", "EngineVersion", default="")

    @property
    def architecture(self) -> str:
        return dig(self.raw, "Description", "Platform", "Architecture", default="")

    @property
    def trust_root(self) -> str:
        """The swarm's CA certificate, as this node holds it (PEM)."""
        return dig(self.raw, "Description", "TLSInfo", "TrustRoot", default="")

    @property
    def ready(self) -> bool:
        return self.state == "ready"


class Port:
    def __init__(self, raw: dict):
        self.raw = raw
        self.target = raw.get("TargetPort", 0)
        self.published = raw.get("PublishedPort", 0)
        self.protocol = raw.get("Protocol", "tcp")
        self.mode = raw.get("PublishMode", "ingress")

    def __eq__(self, other):
        return isinstance(other, Port) and self.astuple() == other.astuple()

    def astuple(self) -> tuple:
        return self.target, self.published, self.protocol, self.mode

    def __str__(self):
        return f"{self.published}->{self.target}/{self.protocol} mode={self.mode}"


class Mount:
    def __init__(self, raw: dict):
        self.raw = raw
        self.type = raw.get("Type", "")
        self.source = raw.get("Source", "")
        self.target = raw.get("Target", "")


class Service(Model):
    @property
    def spec(self) -> dict:
        return self.raw.get("Spec") or {}

    @property
    def name(self) -> str:
        return self.spec.get("Name", "")

    @property
    def labels(self) -> dict:
        return self.spec.get("Labels") or {}

    @property
    def stack(self) -> Optional[str]:
        return self.labels.get("com.docker.stack.namespace")

    @property
    def mode(self) -> str:
        return "global" if "Global" in (self.spec.get("Mode") or {}) else "replicated"

    @property
    def replicas(self) -> Optional[int]:
        return dig(self.spec, "Mode", "Replicated", "Replicas") if self.mode == "replicated" else None

    @property
    def container_spec(self) -> dict:
        return dig(self.spec, "TaskTemplate", "ContainerSpec", default={})

    @property
    def image(self) -> str:
        return self.container_spec.get("Image", "").split("@")[0]

    @property
    def hostname(self) -> str:
        return self.container_spec.get("Hostname", "")

    @property
    def env(self) -> dict:
        return dict(item.split("=", 1) for item in self.container_spec.get("Env") or [] if "=" in item)

    @property
    def mounts(self) -> tuple:
        return tuple(Mount(m) for m in self.container_spec.get("Mounts") or [])

    @property
    def healthcheck(self) -> Optional[dict]:
        return self.container_spec.get("Healthcheck")

    @property
    def endpoint_mode(self) -> str:
        return dig(self.spec, "EndpointSpec", "Mode", default="vip")

    @property
    def vips(self) -> dict:
        """{network id: virtual IP}: empty in dnsrr mode."""
        return {v.get("NetworkID"): _ip(v.get("Addr", "")) for v in dig(self.raw, "Endpoint", "VirtualIPs", default=[])}

    @property
    def ports(self) -> tuple:
        return tuple(Port(p) for p in dig(self.spec, "EndpointSpec", "Ports", default=[]))

    @property
    def networks(self) -> tuple:
        """Network ids the tasks attach to (26.x keeps them in TaskTemplate, 20.10 stacks may use Spec)."""
        attached = dig(self.spec, "TaskTemplate", "Networks") or self.spec.get("Networks") or []
        return tuple(n.get("Target", "") for n in attached)

    @property
    def constraints(self) -> tuple:
        return tuple(dig(self.spec, "TaskTemplate", "Placement", "Constraints", default=[]))

    @property
    def update_state(self) -> Optional[str]:
        return dig(self.raw, "UpdateStatus", "State")


class Task(Model):
    @property
    def service_id(self) -> str:
        return self.raw.get("ServiceID", "")

    @property
    def node_id(self) -> str:
        return self.raw.get("NodeID", "")

    @property
    def slot(self) -> Optional[int]:
        return self.raw.get("Slot")

    @property
    def desired_state(self) -> str:
        return self.raw.get("DesiredState", "")

    @property
    def image(self) -> str:
        return dig(self.raw, "Spec", "ContainerSpec", "Image", default="").split("@")[0]

    @property
    def state(self) -> str:
        return dig(self.raw, "Status", "State", default="")

    @property
    def error(self) -> str:
        return dig(self.raw, "Status", "Err", default="")

    @property
    def message(self) -> str:
        return dig(self.raw, "Status", "Message", default="")

    @property
    def timestamp(self) -> str:
        return dig(self.raw, "Status", "Timestamp", default="")

    @property
    def container_id(self) -> Optional[str]:
        return dig(self.raw, "Status", "ContainerStatus", "ContainerID")

    def alive_at(self, moment: datetime) -> bool:
        """Whether the task existed at `moment`: made before it, and still wanted or ended after it."""
        created, ended = when(self.raw.get("CreatedAt", "")), when(self.raw.get("UpdatedAt", ""))
        if created is None or created > moment:
            return False
        return self.desired_state == "running" or ended is None or ended >= moment

    @property
    def exit_code(self) -> Optional[int]:
        return dig(self.raw, "Status", "ContainerStatus", "ExitCode")

    @property
    def addresses(self) -> dict:
        """{network id: the task's address on it}."""
        found = {}
        for attachment in self.raw.get("NetworksAttachments") or []:
            ips = [_ip(a) for a in attachment.get("Addresses") or []]
            if ips:
                found[dig(attachment, "Network", "ID")] = ips[0]
        return found

    @property
    def running(self) -> bool:
        return self.desired_state == "running" and self.state == "running"


class Network(Model):
    @property
    def name(self) -> str:
        return self.raw.get("Name", "")

    @property
    def driver(self) -> str:
        return self.raw.get("Driver", "")

    @property
    def scope(self) -> str:
        return self.raw.get("Scope", "")

    @property
    def labels(self) -> dict:
        return self.raw.get("Labels") or {}

    @property
    def attachable(self) -> bool:
        return bool(self.raw.get("Attachable"))

    @property
    def options(self) -> dict:
        return self.raw.get("Options") or {}

    @property
    def mtu(self) -> Optional[int]:
        value = self.options.get("com.docker.network.driver.mtu")
        return int(value) if value and str(value).isdigit() else None

    @property
    def containers(self) -> dict:
        """{container id or lb endpoint: its address}, as this node sees it."""
        return {k: _ip(v.get("IPv4Address", "")) for k, v in (self.raw.get("Containers") or {}).items()}

    @property
    def subnets(self) -> tuple:
        return tuple(c.get("Subnet") for c in dig(self.raw, "IPAM", "Config", default=[]) if c.get("Subnet"))

    @property
    def peers(self) -> tuple:
        """The underlay addresses of the nodes this node's NetworkDB knows on the network (`inspect -v`)."""
        return tuple(p.get("IP", "") for p in self.raw.get("Peers") or [])

    def task_addresses(self, service: str) -> frozenset:
        """The addresses of the service's tasks that this node's NetworkDB holds (`inspect -v`): what the node's
        embedded DNS answers `tasks.<name>` from."""
        tasks = dig(self.raw, "Services", service, "Tasks", default=[])
        if not isinstance(tasks, list):
            return frozenset()
        found = (_ip(str(t.get("EndpointIP", ""))) for t in tasks if isinstance(t, dict))
        return frozenset(a for a in found if IPV4.valid(a))


class Container(Model):
    @property
    def name(self) -> str:
        return self.raw.get("Name", "").lstrip("/")

    @property
    def labels(self) -> dict:
        return dig(self.raw, "Config", "Labels", default={})

    @property
    def state(self) -> str:
        return dig(self.raw, "State", "Status", default="")

    @property
    def running(self) -> bool:
        return self.state == "running"

    @property
    def image(self) -> str:
        return dig(self.raw, "Config", "Image", default="")

    @property
    def env(self) -> dict:
        return dict(item.split("=", 1) for item in dig(self.raw, "Config", "Env", default=[]) if "=" in item)

    @property
    def hostname(self) -> str:
        return dig(self.raw, "Config", "Hostname", default="")

    @property
    def started(self) -> str:
        """When the container last started, as the engine wrote it (RFC 3339, nanoseconds)."""
        return dig(self.raw, "State", "StartedAt", default="")

    @property
    def started_at(self) -> Optional[datetime]:
        return when(self.started)

    @property
    def health(self) -> Optional[str]:
        return dig(self.raw, "State", "Health", "Status")

    @property
    def health_output(self) -> str:
        log = dig(self.raw, "State", "Health", "Log", default=[])
        return (log[-1].get("Output") or "").strip() if log else ""

    @property
    def restarts(self) -> int:
        return self.raw.get("RestartCount") or 0

    @property
    def task_id(self) -> Optional[str]:
        return self.labels.get("com.docker.swarm.task.id")

    @property
    def service(self) -> Optional[str]:
        return self.labels.get("com.docker.swarm.service.name")

    @property
    def addresses(self) -> dict:
        """{network name: address}."""
        return {
            name: n.get("IPAddress", "") for name, n in dig(self.raw, "NetworkSettings", "Networks", default={}).items()
        }

    @property
    def volumes(self) -> tuple:
        return tuple(m.get("Name") for m in self.raw.get("Mounts") or [] if m.get("Type") == "volume")


class Volume(Model):
    @property
    def name(self) -> str:
        return self.raw.get("Name", "")

    @property
    def id(self) -> str:
        return self.name

    @property
    def driver(self) -> str:
        return self.raw.get("Driver", "")

    @property
    def labels(self) -> dict:
        labels = self.raw.get("Labels") or {}
        if isinstance(labels, str):  # `volume ls --format` prints them as k=v,k=v
            return dict(item.split("=", 1) for item in labels.split(",") if "=" in item)
        return labels


class Version(Model):
    """`docker version`'s Server part: the engine's own version and the API versions it accepts."""

    @property
    def engine(self) -> str:
        return self.raw.get("Version", "")

    @property
    def api(self) -> str:
        return self.raw.get("ApiVersion", "")

    @property
    def min_api(self) -> str:
        """The oldest API a client may speak (1.44 from Docker 29: older Portainer agents are refused)."""
        return self.raw.get("MinAPIVersion", "")


class Interface(Model):
    """One network interface as `ip -j addr` shows it, with its IPv4 addresses."""

    @property
    def name(self) -> str:
        return self.raw.get("ifname", "")

    @property
    def id(self) -> str:
        return self.name

    @property
    def mtu(self) -> Optional[int]:
        value = self.raw.get("mtu")
        return value if isinstance(value, int) else None

    @property
    def up(self) -> bool:
        return "UP" in (self.raw.get("flags") or [])

    @property
    def loopback(self) -> bool:
        return "LOOPBACK" in (self.raw.get("flags") or [])

    @property
    def addresses(self) -> tuple:
        """Its IPv4 addresses with their prefixes (ipaddress.IPv4Interface)."""
        found = []
        for entry in self.raw.get("addr_info") or []:
            if isinstance(entry, dict) and entry.get("family") == "inet":
                try:
                    found.append(ipaddress.IPv4Interface(f"{entry.get('local')}/{entry.get('prefixlen')}"))
                except ValueError:
                    continue
        return tuple(found)


class Route(Model):
    """One IPv4 route as `ip -j route` shows it."""

    @property
    def id(self) -> str:
        return f"{self.destination} {self.device}"

    @property
    def destination(self) -> str:
        return str(self.raw.get("dst", ""))

    @property
    def device(self) -> str:
        return str(self.raw.get("dev", ""))

    @property
    def network(self) -> Optional[ipaddress.IPv4Network]:
        if self.destination in ("", "default"):
            return None
        try:
            return ipaddress.IPv4Network(self.destination, strict=False)
        except ValueError:
            return None
