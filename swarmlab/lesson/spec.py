"""What the lesson defines, and the legitimate variants of it, each with the reason it is accepted.

The checks judge what the lesson teaches, not one literal cluster: the author's
own files from either version of the lesson, the lesson's commands in their
long and short forms and the author's scripts must all pass. This module is the
one place that says what may vary and why; the checks and the driver read it.
"""

import re
from dataclasses import dataclass, field
from typing import Optional

from ..state.reads import Focus, Reader
from ..transport.cluster import Cluster

LESSON_DIR = "/opt/docker-lessons/level6"
NETWORK = "lemp-overlay"
PARTS = (1, 2)
# The stages of each part in the lesson's order; teardown checks the opposite state, so only on request.
STAGES = (
    "init",
    "join",
    "network",
    "sync",
    "stacks",
    "labels",
    "placement",
    "vip",
    "connectivity",
    "panel",
    "pages",
    "teardown",
)
PART_STAGES = {
    1: ("init", "join", "network", "sync", "stacks", "vip", "connectivity", "pages"),
    2: ("init", "join", "network", "sync", "labels", "placement", "vip", "connectivity", "panel", "pages"),
}
ON_REQUEST = ("teardown",)


@dataclass(frozen=True)
class ServiceSpec:
    stack: str
    name: str  # as `docker service ls` shows it: <stack>_<service>
    mode: str
    replicas: Optional[int]
    hostname: str  # the part before the node's name in the hostname template
    constraint: Optional[str] = None
    published: Optional[int] = None


@dataclass(frozen=True)
class Part:
    number: int
    folder: str  # under level6
    services: tuple
    labels: dict = field(default_factory=dict)  # {node: {label: value}}
    volumes: tuple = ()  # the named volumes its stacks make, on whichever node a task ran

    def service(self, name: str) -> ServiceSpec:
        return next(s for s in self.services if s.name == name)

    @property
    def stacks(self) -> tuple:
        return tuple(dict.fromkeys(s.stack for s in self.services))

    @property
    def compose(self) -> str:
        return f"{LESSON_DIR}/{self.folder}/compose"

    def ingress_nodes(self, names) -> list:
        """Where the lesson's page is served: every node in part 1 (and on one node), the ingress-labelled ones
        in part 2."""
        names = list(names)
        if self.service(GATEWAY).constraint is None or len(names) == 1:
            return names
        return [n for n in names if self.labels.get(n, {}).get("ingress") == "true"]

    def labels_for(self, names) -> dict:
        """{node: the lesson's labels there}: on one node (the homework) that node carries every label."""
        names = list(names)
        if len(names) == 1:
            return {names[0]: {label: "true" for label in LESSON_LABELS}}
        return {name: self.labels.get(name, {}) for name in names}


GATEWAY, PHP_FPM, DB = "edge_gateway", "core_php-fpm", "storage_db"
DB_VOLUME, PANEL_VOLUME = "storage_db_volume", "portainer_portainer_data"
POSTS = "posts"  # the table init.php makes: a copy of the db's volume that has it holds the lesson's data
DATABASE = "lemp-db"  # MYSQL_DATABASE of the lesson's storage.yaml, where a student's own does not say

PART1 = Part(
    1,
    "lemp1",
    (
        ServiceSpec("edge", GATEWAY, "global", None, "gateway", published=80),
        ServiceSpec("core", PHP_FPM, "replicated", 6, "php-fpm"),
        ServiceSpec("storage", DB, "replicated", 1, "db"),
    ),
    volumes=(DB_VOLUME,),
)
PART2 = Part(
    2,
    "lemp2",
    (
        ServiceSpec("edge", GATEWAY, "global", None, "gateway", "node.labels.ingress == true", published=80),
        ServiceSpec("core", PHP_FPM, "replicated", 4, "php-fpm", "node.labels.fpm == true"),
        ServiceSpec("storage", DB, "replicated", 1, "db", "node.labels.storage == true"),
        ServiceSpec("portainer", "portainer_agent", "global", None, ""),
        ServiceSpec("portainer", "portainer_portainer", "replicated", 1, "", "node.role == manager", published=9443),
    ),
    labels={
        "manager": {"ingress": "true", "fpm": "true"},
        "worker-1": {"ingress": "true", "fpm": "true"},
        "worker-2": {"storage": "true"},
    },
    volumes=(DB_VOLUME, PANEL_VOLUME),
)
LESSON_LABELS = ("ingress", "fpm", "storage")
PANEL_NETWORK = "agent_network"
PANEL_AGENT, PANEL = "portainer_agent", "portainer_portainer"
UPSTREAM_FAILURE = 'host not found in upstream "php-fpm"'
IMAGE_VARS = {
    "gateway": "LEMP_GATEWAY_IMAGE",
    "php-fpm": "LEMP_PHP_FPM_IMAGE",
    "db": "LEMP_DB_IMAGE",
    "agent": "LEMP_AGENT_IMAGE",
    "portainer": "LEMP_PORTAINER_IMAGE",
}


FOCUS = Focus(network=NETWORK, gateway=GATEWAY, upstream=PHP_FPM, upstream_name="php-fpm", folder=LESSON_DIR)


def part(number: int) -> Part:
    return {1: PART1, 2: PART2}[number]


def reader(cluster: Cluster) -> Reader:
    """The read side of a cluster, probing what the lesson teaches (its overlay, gateway and php-fpm)."""
    return Reader(cluster, FOCUS)


@dataclass(frozen=True)
class Variant:
    what: str
    accepted: tuple
    why: str


VARIANTS = (
    Variant(
        "hostname templates",
        (
            "gateway-{{.Node.Hostname}}",
            "php-fpm-{{.Node.Hostname}}",
            "php-fpm-{{.Node.Hostname}}-{{.Task.Slot}}",
            "db-{{.Node.Hostname}}",
        ),
        "the lesson as published used php-fpm-{{.Node.Hostname}}; the author's current files add "
        "-{{.Task.Slot}}. What the lesson teaches is that the hostname shows the node that ran the task, "
        "so any template that starts with the service's name and contains {{.Node.Hostname}} passes",
    ),
    Variant(
        "deploying a stack",
        (
            "docker stack deploy -c FILE",
            "docker stack deploy --compose-file FILE",
            "./up.sh (the author's exec-stack-cmd.sh)",
        ),
        "the same command in its short and long forms, and the author's scripts, which deploy every file "
        "of compose/ under the file's name; the checks judge the stacks, not how they were deployed",
    ),
    Variant(
        "removing a stack", ("docker stack rm", "docker stack remove", "./down.sh"), "`remove` is the long form of `rm`"
    ),
    Variant(
        "endpoint mode",
        ("vip", "dnsrr"),
        "the lesson uses vip (IPVS); kernels without IPVS, like this lab's, need dnsrr for traffic to flow; "
        "the vip check checks whichever mode the service declares",
    ),
    Variant(
        "images",
        ("the lesson's images", "any image set by LEMP_*_IMAGE"),
        "classrooms without Docker Hub run stand-ins; the checks judge what runs, not its image's name",
    ),
    Variant(
        "the lesson's folder",
        ("/opt/docker-lessons/level6", "any path, the same on every node"),
        "part 1 copies level6 to /opt/docker-lessons, part 2 works in /level6: the bind mounts need the "
        "same path on every node, which the checks read from the deployed services",
    ),
    Variant(
        "extra stacks",
        ("portainer", "any stack of the student's own"),
        "the author's up.sh deploys every file of compose/, so part 2's panel may run during part 1",
    ),
)


def template_shows_node(template: str, service: ServiceSpec) -> bool:
    """The variant rule for hostname templates: the service's name, then the node that ran the task."""
    return template.startswith(f"{service.hostname}-") and "{{.Node.Hostname}}" in template


def node_in_hostname(hostname: str, nodes) -> Optional[str]:
    """The node named in a task's hostname (php-fpm-worker-1 and php-fpm-worker-1-3 both name worker-1)."""
    found = [n for n in nodes if re.search(rf"(^|-){re.escape(n)}(-\d+)?$", hostname)]
    return max(found, key=len) if found else None
