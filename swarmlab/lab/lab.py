"""The embedded lab: the lesson's nodes as containers on this machine, reached over SSH.

Each node runs its own dockerd and sshd, exactly like the lesson's cloud VMs, so
that everything after `up` (lesson, checks, notebooks, grading) only ever sees
an inventory and SSH. Every container, volume and network carries the label
`swarmlab=<lab name>`: `down` removes by label and so never touches anything
the lab did not make.
"""

import io
import ipaddress
import os
import re
import shutil
import tarfile
import time
from dataclasses import dataclass
from typing import Optional

import docker
from docker.types import IPAMConfig, IPAMPool, Mount

from .. import ui
from ..errors import NodeUnreachable, SwarmlabError, UsageError
from ..lesson.spec import IMAGE_VARS
from ..paths import lab_dir, state_dir
from ..state.reads import read_info
from ..transport import inventory
from ..transport.cluster import parallel
from ..transport.factory import over_ssh
from ..transport.inventory import Inventory, NodeSpec
from ..waiting import until
from . import DEFAULT_ENGINE, MAX_NODES, engine, host, images, keys, stores

LABEL = "swarmlab"
NAME = re.compile(r"^[a-z][a-z0-9-]{0,29}$")
READY_TIMEOUT = 90
IMAGE_MODES = ("lab", "upstream")
ENGINE_LABEL = "swarmlab.engine"  # which of images.ENGINES the node runs


def node_names(count: int) -> list:
    return ["manager"] + [f"worker-{i}" for i in range(1, count)]


def validate_name(name: str) -> str:
    if not NAME.match(name or ""):
        raise UsageError(
            f"{name!r} is not a valid lab name: use 1-30 lowercase letters, digits or '-', starting with a letter"
        )
    return name


@dataclass(frozen=True)
class NodeStatus:
    name: str
    address: str
    port: int
    user: str
    key: str
    known_hosts: str
    ssh: bool
    engine: Optional[str]
    swarm: Optional[str]
    ipvs: Optional[bool]
    problem: Optional[str] = None


class Lab:
    def __init__(self, name: str = "swarmlab", client: Optional[docker.DockerClient] = None):
        self.name = validate_name(name)
        self._client = client
        self.timings = {}  # seconds per step of the last `up`, for bench/lab_up.py
        self.dir = lab_dir(name)
        self.inventory_path = self.dir / "inventory.yaml"
        self.key_path = self.dir / "id_ed25519"
        self.known_hosts_path = self.dir / "known_hosts"
        self.ssh_config_path = self.dir / "ssh_config"

    @property
    def client(self) -> docker.DockerClient:
        if self._client is None:
            self._client = engine.connect()
        return self._client

    @property
    def network_name(self) -> str:
        return f"{self.name}-net"

    def container_name(self, node: str) -> str:
        return f"{self.name}-{node}"

    def _filters(self) -> dict:
        return {"label": f"{LABEL}={self.name}"}

    def containers(self) -> list:
        return self.client.containers.list(all=True, filters=self._filters())

    def is_complete(self) -> bool:
        """Complete = `up` got to its last step (the inventory) and every node it lists exists."""
        if not self.inventory_path.is_file():
            return False
        wanted = {self.container_name(n) for n in inventory.load(self.inventory_path).names}
        return wanted == {c.name for c in self.containers()}

    def up(
        self, nodes: int = 3, image_mode: str = "lab", exist_ok: bool = False, engine: Optional[str] = None
    ) -> Inventory:
        if not 1 <= nodes <= MAX_NODES:
            raise UsageError(f"--nodes {nodes} is out of range: a lab has 1 to {MAX_NODES} nodes")
        if image_mode not in IMAGE_MODES:
            raise UsageError(f"--images {image_mode} is unknown: use one of {', '.join(IMAGE_MODES)}")
        if engine is not None and engine not in images.ENGINES:
            raise UsageError(f"--engine {engine} is unknown: use one of {', '.join(images.ENGINES)}")
        if self.is_complete():
            current = inventory.load(self.inventory_path)
            if len(current.nodes) != nodes:
                raise UsageError(
                    f"lab {self.name!r} already runs with {len(current.nodes)} nodes: "
                    f"run `swarmlab lab down --lab {self.name}` first to change it"
                )
            running = {c.labels.get(ENGINE_LABEL) for c in self.containers()}
            if engine is not None and running != {engine}:
                raise UsageError(
                    f"lab {self.name!r} already runs with engine {', '.join(sorted(map(str, running)))}: "
                    f"run `swarmlab lab down --lab {self.name}` first to change it"
                )
            self._start_stopped()
            if exist_ok:
                ui.info(f"lab {self.name!r} already runs ({nodes} nodes): nothing changed")
                return current
            raise SwarmlabError(
                f"lab {self.name!r} already runs ({nodes} nodes): nothing changed "
                f"(`swarmlab lab down --lab {self.name}` first to rebuild it)"
            )
        if self.containers() or self._leftovers():
            with ui.step(f"Removing what an interrupted `up` of lab {self.name!r} left"):
                self._remove_all()
        try:
            return self._create(nodes, image_mode, engine or DEFAULT_ENGINE)
        except BaseException:
            ui.info(f"[red]bringing lab {self.name!r} up failed: removing what was made[/red]")
            self._remove_all()
            raise

    def _leftovers(self) -> bool:
        return bool(
            self.client.volumes.list(filters=self._filters())
            or self.client.networks.list(filters=self._filters())
            or self.dir.exists()
        )

    def _start_stopped(self) -> None:
        stopped = [c for c in self.containers() if c.status != "running"]
        if not stopped:
            return
        inv = inventory.load(self.inventory_path)
        with ui.step(f"Starting {len(stopped)} stopped node(s)"):
            for container in stopped:
                container.start()
                container.reload()
                node = container.labels["swarmlab.node"]
                address = container.attrs["NetworkSettings"]["Networks"][self.network_name]["IPAddress"]
                if address != inv.node(node).address:
                    raise SwarmlabError(
                        f"node {node} came back with a new address ({address}, was "
                        f"{inv.node(node).address}): its swarm and inventory no longer match; "
                        f"rebuild the lab with `swarmlab lab down --lab {self.name}` then `up`"
                    )
            self._wait_ready(inv)

    def _create(self, count: int, image_mode: str, engine: str) -> Inventory:
        started = time.monotonic()
        self.timings = {}

        def mark(step):
            self.timings[step] = time.monotonic() - started

        node_image = images.ENGINES[engine]
        stand_ins = images.STAND_INS if image_mode == "lab" else ()
        with host.exclusive("images"):
            images.ensure(self.client, [node_image, *stand_ins])
            store = stores.ensure(self.client, node_image, stand_ins, self._host_config) if stand_ins else None
        mark("images")
        self.dir.mkdir(parents=True, exist_ok=True)
        user_key = keys.ed25519(f"swarmlab-{self.name}")
        self.key_path.write_bytes(user_key.private)
        self.key_path.chmod(0o600)
        self.key_path.with_suffix(".pub").write_text(user_key.public + "\n")
        labels = {LABEL: self.name}
        network, addresses = self._network(labels, count)
        volumes = {
            node: self.client.volumes.create(f"{self.name}-{node}-docker", labels=labels) for node in node_names(count)
        }
        if store is not None:
            with ui.step("Filling the nodes' engines from the image store"):
                stores.fill(self.client, node_image, store, volumes.values())
        specs, known_hosts = [], []
        with ui.step(f"Starting {count} nodes") as step:
            for index, node in enumerate(node_names(count)):
                step.update(node)
                host_key = keys.ed25519(node)
                container = self._start_node(
                    node,
                    node_image,
                    volumes[node],
                    network,
                    user_key.public,
                    host_key,
                    {**labels, ENGINE_LABEL: engine},
                    addresses[index],
                )
                address = container.attrs["NetworkSettings"]["Networks"][self.network_name]["IPAddress"]
                known_hosts.append(keys.known_hosts_line(address, 22, host_key.public))
                specs.append(
                    NodeSpec(
                        name=node,
                        address=address,
                        port=22,
                        user="root",
                        key=self.key_path,
                        known_hosts=self.known_hosts_path,
                        role="manager" if index == 0 else "worker",
                    )
                )
        self.known_hosts_path.write_text("".join(known_hosts))
        image_map = {i.lesson_service: i.tag for i in images.STAND_INS} if image_mode == "lab" else {}
        inv = Inventory(nodes=tuple(specs), path=self.inventory_path, lab=self.name, images=image_map)
        with ui.step("Waiting for every node's sshd and dockerd"):
            self._wait_ready(inv)
        mark("ssh_ready")
        self._write_profile(inv)
        self.ssh_config_path.write_text(ssh_config(inv, self.name))
        inventory.dump(inv, self.inventory_path)
        mark("up")
        return inventory.load(self.inventory_path)

    def _host_config(self, volume: str, network: Optional[str] = None) -> dict:
        """What a container needs to run its own dockerd here: every capability but SYS_RESOURCE (--privileged is
        refused on these sandboxes), the cgroup tree, and `volume` as its /var/lib/docker (overlay on overlay
        fails)."""
        mounts = [Mount("/var/lib/docker", volume, type="volume")]
        options = {"network_mode": network} if network else {}
        if host.cgroup_version() == 1:
            mounts.append(Mount("/sys/fs/cgroup", "/sys/fs/cgroup", type="bind", read_only=False))
        else:
            options["cgroupns"] = "private"
        config = self.client.api.create_host_config(
            mounts=mounts,
            cap_add=["ALL"],
            cap_drop=["SYS_RESOURCE"],
            device_cgroup_rules=["a *:* rwm"],
            security_opt=["seccomp=unconfined", "apparmor=unconfined"],
            **options,
        )
        # what `--security-opt systempaths=unconfined` does in the CLI:
        config.update(MaskedPaths=[], ReadonlyPaths=[])
        return config

    def _network(self, labels: dict, count: int) -> tuple:
        """The nodes' bridge, with the subnet docker chose for it written down and an address fixed per node:
        docker gives a stopped container whatever address is free when it starts again, so after a restart of
        the engine the nodes would come back in another order than their swarm knows them by."""
        chosen = self.client.networks.create(self.network_name, driver="bridge", labels=labels)
        pool = chosen.attrs["IPAM"]["Config"][0]
        chosen.remove()
        subnet = ipaddress.ip_network(pool["Subnet"])
        hosts = subnet.hosts()
        gateway = pool.get("Gateway") or str(next(hosts))
        free = (str(a) for a in hosts if str(a) != gateway)
        ipam = IPAMConfig(pool_configs=[IPAMPool(subnet=str(subnet), gateway=gateway)])
        network = self.client.networks.create(self.network_name, driver="bridge", labels=labels, ipam=ipam)
        return network, [next(free) for _ in range(count)]

    def _start_node(self, node, node_image, volume, network, authorized_key: str, host_key, labels, address: str):
        api = self.client.api
        created = api.create_container(
            node_image.tag,
            name=self.container_name(node),
            hostname=node,
            detach=True,
            labels={**labels, "swarmlab.node": node},
            host_config=self._host_config(volume.name, network.name),
            environment={"SWARMLAB_CGROUP_PARENT": f"/swarmlab-{self.name}-{node}"},
            networking_config=api.create_networking_config(
                {network.name: api.create_endpoint_config(aliases=[node], ipv4_address=address)}
            ),
        )
        container = self.client.containers.get(created["Id"])
        container.put_archive(
            "/",
            _tar(
                {
                    "etc/ssh/ssh_host_ed25519_key": (host_key.private, 0o600),
                    "etc/ssh/ssh_host_ed25519_key.pub": (host_key.public.encode() + b"\n", 0o644),
                    "root/.ssh/authorized_keys": (authorized_key.encode() + b"\n", 0o600),
                    "home/student/.ssh/authorized_keys": (authorized_key.encode() + b"\n", 0o644),
                }
            ),
        )
        container.start()
        container.reload()
        return container

    def _wait_ready(self, inv: Inventory) -> None:
        def ready(name):
            last = ["no answer yet"]

            def answers():
                try:
                    with over_ssh(Inventory(nodes=(inv.node(name),)), timeout=5) as one:
                        return one.run(name, "docker info --format '{{.ServerVersion}}'", timeout=10).ok
                except NodeUnreachable as err:
                    last[0] = str(err)
                    return False

            until(
                answers,
                timeout=READY_TIMEOUT,
                interval=0.5,
                progress=lambda: last[0],
                what=f"node {name} of lab {self.name!r} to answer over SSH with its engine (see `docker logs "
                f"{self.container_name(name)}` and /var/log/dockerd.log on it)",
                error=SwarmlabError,
            )

        parallel(ready, inv.names, strict=True)

    def _write_profile(self, inv: Inventory) -> None:
        """Give the students' shells on the nodes the variables that the lesson's compose files read."""
        with over_ssh(inv) as cluster:
            ipvs = read_info(cluster, inv.manager.name).ipvs
            lines = [
                f"export LEMP_AGENT_SECRET={os.urandom(16).hex()}",
                f"export LEMP_ENDPOINT_MODE={'vip' if ipvs else 'dnsrr'}",
                f"export LEMP_PUBLISH_MODE={'ingress' if ipvs else 'host'}",
            ]
            for service, tag in inv.images.items():
                lines.append(f"export {IMAGE_VARS[service]}={tag}")
            script = ("# written by swarmlab: the lab's images and endpoint mode\n" + "\n".join(lines) + "\n").encode()
            cluster.map(lambda n: cluster.run(n, "cat > /etc/profile.d/swarmlab.sh", stdin=script))

    def down(self, purge: bool = False) -> bool:
        """Remove the lab; False when there was nothing to remove (and nothing was done)."""
        found = bool(self.containers()) or self._leftovers()
        if found:
            with ui.step(f"Removing lab {self.name!r}"):
                self._remove_all()
        if purge:
            with host.exclusive("images"), ui.step("Removing swarmlab's cached images and node image stores"):
                stores.purge(self.client)
                images.purge(self.client)
                shutil.rmtree(state_dir() / "build", ignore_errors=True)
        return found

    def _remove_all(self) -> None:
        containers = self.containers()
        parallel(lambda c: c.remove(force=True, v=True), containers, strict=True)
        for volume in self.client.volumes.list(filters=self._filters()):
            volume.remove(force=True)
        for network in self.client.networks.list(filters=self._filters()):
            network.remove()
        shutil.rmtree(self.dir, ignore_errors=True)

    def status(self) -> list:
        if not self.is_complete():
            raise SwarmlabError(f"no lab named {self.name!r} runs: start it with `swarmlab lab up --lab {self.name}`")
        inv = inventory.load(self.inventory_path)
        with over_ssh(inv, timeout=5) as cluster:
            facts = cluster.map(lambda name: read_info(cluster, name))
        rows = []
        for spec in inv.nodes:
            fact = facts[spec.name]
            failed = isinstance(fact, Exception)
            rows.append(
                NodeStatus(
                    name=spec.name,
                    address=spec.address,
                    port=spec.port,
                    user=spec.user,
                    key=str(spec.key),
                    known_hosts=str(spec.known_hosts),
                    ssh=not failed,
                    engine=None if failed else fact.engine,
                    swarm=None if failed else fact.swarm,
                    ipvs=None if failed else fact.ipvs,
                    problem=str(fact) if failed else None,
                )
            )
        return rows


def ssh_config(inv: Inventory, lab: str) -> str:
    """An OpenSSH client config for the lab, so `ssh -F FILE manager` works with strict host keys."""
    blocks = [f"# written by swarmlab for lab {lab}: ssh -F {inv.path.parent / 'ssh_config'} manager\n"]
    for node in inv.nodes:
        blocks.append(
            f"Host {node.name}\n  HostName {node.address}\n  Port {node.port}\n  User {node.user}\n"
            f"  IdentityFile {node.key}\n  IdentitiesOnly yes\n  UserKnownHostsFile {node.known_hosts}\n"
            f"  StrictHostKeyChecking yes\n"
        )
    return "\n".join(blocks)


def _tar(files: dict) -> bytes:
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w") as tar:
        for path, (data, mode) in files.items():
            info = tarfile.TarInfo(path)
            info.size, info.mode, info.mtime = len(data), mode, int(time.time())
            tar.addfile(info, io.BytesIO(data))
    return buf.getvalue()
