"""The inventory: how to reach every node of one lesson cluster.

The embedded lab writes one; a student's cloud VMs are another file of the same
format. Every command reads an inventory, so that the lab and real VMs go
through exactly the same code.

    version: 1
    lab: swarmlab                 # set only by the embedded lab
    endpoint_mode: auto           # auto | vip | dnsrr (auto: dnsrr where the nodes lack IPVS)
    images:                       # optional; defaults are the lesson's images
      gateway: swarmlab/gateway:lab
    nodes:
      - name: manager             # the node's hostname, as `docker node ls` shows it
        address: 10.129.0.16      # IP, DNS name or a Host alias from ~/.ssh/config
        port: 22
        user: root
        key: keys/id_ed25519      # relative paths are read from the inventory's folder
        known_hosts: known_hosts
        role: manager             # manager (exactly one) or worker
        become: sudo              # optional: for a user outside the docker group
"""

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import NoReturn, Optional

from ruamel.yaml import YAML

from .. import yamlfile
from ..errors import InventoryError

NAME = re.compile(r"^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$")
ROLES = ("manager", "worker")
ENDPOINT_MODES = ("auto", "vip", "dnsrr")
SERVICES = ("gateway", "php-fpm", "db", "agent", "portainer")
NODE_FIELDS = {"name", "address", "port", "user", "key", "known_hosts", "role", "become"}
TOP_FIELDS = {"version", "lab", "endpoint_mode", "images", "nodes"}


@dataclass(frozen=True)
class NodeSpec:
    name: str
    address: str
    role: str = "worker"
    port: Optional[int] = None
    user: Optional[str] = None
    key: Optional[Path] = None
    known_hosts: Optional[Path] = None
    become: Optional[str] = None

    @property
    def is_manager(self) -> bool:
        return self.role == "manager"


@dataclass(frozen=True)
class Inventory:
    nodes: tuple
    path: Optional[Path] = None
    lab: Optional[str] = None
    endpoint_mode: str = "auto"
    images: dict = field(default_factory=dict)

    @property
    def manager(self) -> NodeSpec:
        return next(node for node in self.nodes if node.is_manager)

    @property
    def workers(self) -> tuple:
        return tuple(node for node in self.nodes if not node.is_manager)

    def node(self, name: str) -> NodeSpec:
        for node in self.nodes:
            if node.name == name:
                return node
        raise InventoryError(f"no node named {name!r} in {self.path}: use one of {', '.join(self.names)}")

    @property
    def names(self) -> tuple:
        return tuple(node.name for node in self.nodes)


def load(path) -> Inventory:
    path = Path(path)
    if not path.is_file():
        raise InventoryError(f"{path}: no such inventory file: run `swarmlab lab up` or pass --inventory FILE")
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise InventoryError(f"{path}: cannot be read ({err}): save it as UTF-8 text") from None
    return parse(yamlfile.load(text, path, InventoryError), path)


def parse(data, path: Path) -> Inventory:
    def fail(where, key, problem) -> NoReturn:
        line = yaml_line(where, key)
        raise InventoryError(f"{path}{f', line {line}' if line else ''}, field {key}: {problem}")

    if not isinstance(data, dict):
        raise InventoryError(
            f"{path}: an inventory is a mapping with a `nodes` list: write one with "
            f"`swarmlab inventory init MANAGER_IP WORKER_IP ...`"
        )
    for key in data:
        if key not in TOP_FIELDS:
            fail(data, key, f"unknown field (known: {', '.join(sorted(TOP_FIELDS))})")
    if data.get("version", 1) != 1:
        fail(data, "version", "only version 1 is known")
    mode = data.get("endpoint_mode", "auto")
    if mode not in ENDPOINT_MODES:
        fail(data, "endpoint_mode", f"{mode!r} is not one of {', '.join(ENDPOINT_MODES)}")
    images = data.get("images") or {}
    if not isinstance(images, dict):
        fail(data, "images", "must map services (gateway, php-fpm, db) to images")
    for service in images:
        if service not in SERVICES:
            fail(images, service, f"unknown service (known: {', '.join(SERVICES)})")
    raw_nodes = data.get("nodes")
    if not isinstance(raw_nodes, list) or not raw_nodes:
        fail(data, "nodes", "must be a non-empty list of nodes")
    nodes = tuple(_node(raw, index, path, fail) for index, raw in enumerate(raw_nodes))
    names = [node.name for node in nodes]
    for index, name in enumerate(names):
        if name in names[:index]:
            fail(raw_nodes[index], "name", f"node {name!r} is listed twice")
    managers = [node.name for node in nodes if node.is_manager]
    if len(managers) != 1:
        fail(data, "nodes", f"exactly one node needs role: manager (found {len(managers)})")
    return Inventory(
        nodes=nodes,
        path=path,
        lab=data.get("lab"),
        endpoint_mode=mode,
        images={str(k): str(v) for k, v in images.items()},
    )


def _node(raw, index, path: Path, fail) -> NodeSpec:
    if not isinstance(raw, dict):
        fail(None, f"nodes[{index}]", "each node is a mapping with at least name and address")
    for key in raw:
        if key not in NODE_FIELDS:
            fail(raw, key, f"unknown node field (known: {', '.join(sorted(NODE_FIELDS))})")
    for key in ("name", "address"):
        if not raw.get(key):
            fail(raw, f"nodes[{index}].{key}" if key not in raw else key, f"node {index + 1} has no {key}")
    for key in ("name", "address", "user", "key", "known_hosts"):
        if key in raw and raw[key] is not None and not isinstance(raw[key], str):
            shown = type(raw[key]).__name__.replace("CommentedSeq", "list").replace("CommentedMap", "mapping")
            fail(
                raw,
                key,
                f"{raw[key]!r} is a {shown}, not text: write one value, in quotes if YAML reads it as "
                f'something else ({key}: "...")',
            )
    name = str(raw["name"])
    if not NAME.match(name):
        fail(raw, "name", f"{name!r} is not a hostname (lowercase letters, digits and '-')")
    port = raw.get("port")
    if port is not None and (not isinstance(port, int) or isinstance(port, bool) or not 0 < port < 65536):
        fail(raw, "port", f"{port!r} is not a port number (1-65535)")
    role = raw.get("role", "worker")
    if role not in ROLES:
        fail(raw, "role", f"{role!r} is not one of {', '.join(ROLES)}")
    become = raw.get("become")
    if become not in (None, "sudo"):
        fail(raw, "become", f"{become!r} is not supported (use: sudo)")
    key = _path(raw.get("key"), path)
    if key is not None and not key.is_file():
        fail(raw, "key", f"key file {key} does not exist or is not a file: give the private key's path")
    return NodeSpec(
        name=name,
        address=str(raw["address"]),
        role=role,
        port=port,
        user=str(raw["user"]) if raw.get("user") else None,
        key=key,
        known_hosts=_path(raw.get("known_hosts"), path),
        become=become,
    )


def _path(value, inventory_path: Path):
    if not value:
        return None
    candidate = Path(str(value)).expanduser()
    return candidate if candidate.is_absolute() else (inventory_path.parent / candidate).resolve()


def yaml_line(where, key):
    """The 1-based line of `key` in a mapping loaded by ruamel's round-trip loader, if known."""
    try:
        return where.lc.key(key)[0] + 1
    except (AttributeError, KeyError, TypeError):
        return None


def dump(inventory: Inventory, path: Path) -> None:
    """Write `inventory` so that `load` reads it back unchanged (paths relative where they can be)."""

    def rel(p):
        if p is None:
            return None
        try:
            return str(Path(p).relative_to(path.parent))
        except ValueError:
            return str(p)

    nodes = []
    for node in inventory.nodes:
        entry = {
            "name": node.name,
            "address": node.address,
            "port": node.port,
            "user": node.user,
            "key": rel(node.key),
            "known_hosts": rel(node.known_hosts),
            "role": node.role,
            "become": node.become,
        }
        nodes.append({k: v for k, v in entry.items() if v is not None})
    data: dict = {"version": 1}
    if inventory.lab:
        data["lab"] = inventory.lab
    data["endpoint_mode"] = inventory.endpoint_mode
    if inventory.images:
        data["images"] = dict(inventory.images)
    data["nodes"] = nodes
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    with open(tmp, "w") as out:
        out.write("# swarmlab inventory: the format is in swarmlab/transport/inventory.py\n")
        YAML().dump(data, out)
    tmp.replace(path)
