"""The lesson's steps, each one performed over SSH on any cluster: the lab or real VMs.

Every step is idempotent (running the lesson twice changes nothing the second
time), returns what it ran with secrets masked, and refuses with a clear
message when an earlier step is missing, naming the step that fixes it.
"""

import hashlib
import os
import posixpath
import shlex
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

import requests

from . import pages, swarm, ui
from .cluster import Cluster
from .errors import SwarmlabError
from .secrets import Masker, lesson_passwords
from .ssh import resolve

LEVEL6 = Path(os.environ.get("SWARMLAB_LEVEL6") or Path(__file__).resolve().parent.parent / "level6")
REMOTE = swarm.LESSON_DIR
COMPOSE = f"{REMOTE}/lemp1/compose"
NETWORK = "lemp-overlay"
STACKS = ("edge", "core", "storage")
SERVICES = {"edge": "edge_gateway", "core": "core_php-fpm", "storage": "storage_db"}
STEPS = ("init", "join", "network", "sync", "deploy", "seed_data")
IMAGE_VARS = {"gateway": "LEMP_GATEWAY_IMAGE", "php-fpm": "LEMP_PHP_FPM_IMAGE", "db": "LEMP_DB_IMAGE"}
UPSTREAM_FAILURE = 'host not found in upstream "php-fpm"'


class StepFailed(SwarmlabError):
    """A lesson step could not be done; the message names the step that fixes it."""


@dataclass(frozen=True)
class Ran:
    node: str
    command: str
    exit_status: int
    output: str


@dataclass
class StepResult:
    step: str
    changed: bool = False
    summary: str = ""
    ran: list = field(default_factory=list)
    notes: list = field(default_factory=list)


class Lesson:
    def __init__(self, cluster: Cluster, level6: Path = LEVEL6):
        self.cluster = cluster
        self.inventory = cluster.inventory
        self.level6 = level6
        self.mask = Masker(*lesson_passwords(level6))
        self._endpoint_mode: Optional[str] = None

    # -- running commands ------------------------------------------------------------

    def _run(self, result: StepResult, node: str, command: str, check: bool = True, stdin: Optional[bytes] = None,
             timeout: float = 300):
        done = self.cluster.run(node, command, timeout=timeout, stdin=stdin)
        output = self.mask((done.stdout + done.stderr).strip())
        result.ran.append(Ran(node, self.mask(command), done.exit_status, output))
        if check and not done.ok:
            last = output.splitlines()[-1] if output else "no output"
            raise StepFailed(f"{result.step}: `{self.mask(command)}` failed on {node} ({last})")
        return done

    def manager_view(self) -> swarm.ManagerView:
        return swarm.read_manager(self.cluster)

    @property
    def manager(self) -> str:
        return self.inventory.manager.name

    def endpoint_mode(self) -> str:
        """vip where the nodes' kernel has IPVS, dnsrr where VIPs would resolve but carry nothing."""
        if self._endpoint_mode is None:
            mode = self.inventory.endpoint_mode
            if mode == "auto":
                mode = "vip" if swarm.probe_node(self.cluster, self.manager).ipvs else "dnsrr"
            self._endpoint_mode = mode
        return self._endpoint_mode

    def deploy_env(self) -> dict:
        env = {IMAGE_VARS[s]: image for s, image in self.inventory.images.items()}
        env["LEMP_ENDPOINT_MODE"] = self.endpoint_mode()
        return env

    # -- the steps -------------------------------------------------------------------

    def init(self) -> StepResult:
        result = StepResult("init")
        facts = swarm.probe_node(self.cluster, self.manager)
        if facts.engine is None:
            raise StepFailed(f"init: docker does not answer on {self.manager}: install Docker Engine there")
        if facts.swarm == "active":
            if not facts.is_manager:
                raise StepFailed(f"init: {self.manager} is already a worker of another swarm: "
                                 f"run `docker swarm leave` on it, then run again")
            result.summary = f"{self.manager} already manages a swarm"
            return result
        address = self._cluster_address(result, self.manager)
        self._run(result, self.manager, f"docker swarm init --advertise-addr {address}")
        result.changed, result.summary = True, f"swarm initialised on {self.manager}, advertising {address}"
        return result

    def _cluster_address(self, result: StepResult, node: str) -> str:
        """The node's own address for swarm traffic: the inventory's if the node has it, else its default route's."""
        wanted = resolve(self.inventory.node(node)).hostname
        script = ("ip -o -4 addr show | awk '{print $4}' | cut -d/ -f1; echo @@; "
                  "ip -o -4 route show default | awk '{print $5; exit}' | xargs -r -I{} ip -o -4 addr show dev {} "
                  "| awk '{print $4; exit}' | cut -d/ -f1")
        own, _, default = self._run(result, node, script).stdout.partition("@@")
        if wanted in own.split():
            return wanted
        if default.strip():
            return default.strip()
        raise StepFailed(f"init: cannot tell which address {node} uses for the cluster: set its address in the "
                         f"inventory to the node's private IP")

    def join(self) -> StepResult:
        result = StepResult("join")
        facts = swarm.probe_node(self.cluster, self.manager)
        if facts.swarm != "active" or not facts.is_manager:
            raise StepFailed(f"join: {self.manager} is not a swarm manager yet: run step init first")
        members = {n.hostname for n in self.manager_view().nodes if n.state == "ready"}
        joined = []
        for worker in self.inventory.workers:
            worker_facts = swarm.probe_node(self.cluster, worker.name)
            if worker_facts.swarm == "active" and worker.name in members:
                continue
            if worker_facts.swarm == "active":
                raise StepFailed(f"join: {worker.name} is in another swarm: run `docker swarm leave --force` on it")
            token = self.cluster.run(self.manager, "docker swarm join-token -q worker").stdout.strip()
            self.mask.add(token)
            # The token travels on stdin, so it is in no command line, no process list and no record.
            self._run(result, worker.name, f'read -r token; docker swarm join --token "$token" {facts.manager_addr}',
                      stdin=token.encode() + b"\n")
            joined.append(worker.name)
        result.changed = bool(joined)
        result.summary = f"joined {', '.join(joined)}" if joined else "every worker is already in the swarm"
        return result

    def network(self) -> StepResult:
        result = StepResult("network")
        self._require_manager("network")
        existing = self.manager_view().network(NETWORK)
        if existing is not None:
            if existing.driver != "overlay":
                raise StepFailed(f"network: {NETWORK} exists with driver {existing.driver}: remove it "
                                 f"(docker network rm {NETWORK}) and run again")
            result.summary = f"{NETWORK} already exists"
            return result
        self._run(result, self.manager, f"docker network create -d overlay {NETWORK}")
        result.changed, result.summary = True, f"overlay network {NETWORK} created"
        return result

    def _require_manager(self, step: str) -> None:
        facts = swarm.probe_node(self.cluster, self.manager)
        if facts.swarm != "active" or not facts.is_manager:
            raise StepFailed(f"{step}: {self.manager} is not a swarm manager yet: run step init first")

    def sync(self) -> StepResult:
        result = StepResult("sync")
        local = local_level6(self.level6)
        views = swarm.read_nodes(self.cluster)
        changed = []
        for name, view in views.items():
            if isinstance(view, Exception):
                raise StepFailed(f"sync: {view}")
            upload = sorted(p for p, digest in local.items() if view.level6.get(p) != digest)
            delete = sorted(set(view.level6) - set(local))
            if upload or delete:
                self._push(result, name, upload, delete)
                changed.append(f"{name} ({len(upload)} copied, {len(delete)} removed)")
        result.changed = bool(changed)
        result.summary = f"level6 updated on {', '.join(changed)}" if changed else "level6 already up to date everywhere"
        return result

    def _push(self, result: StepResult, node: str, upload: list, delete: list) -> None:
        """SFTP into a staging folder of the SSH user, then one (sudo-able) copy into place."""
        stage = f"/tmp/swarmlab-sync-{uuid.uuid4().hex[:8]}"
        sftp = self.cluster.node(node).sftp()
        try:
            made = set()
            for rel in upload:
                parts = posixpath.dirname(rel).split("/") if posixpath.dirname(rel) else []
                for depth in range(len(parts) + 1):
                    folder = posixpath.join(stage, *parts[:depth])
                    if folder not in made:
                        try:
                            sftp.mkdir(folder)
                        except OSError:
                            pass
                        made.add(folder)
                local = self.level6 / rel
                sftp.put(str(local), posixpath.join(stage, rel))
                sftp.chmod(posixpath.join(stage, rel), local.stat().st_mode & 0o777)
        finally:
            sftp.close()
        removals = " ".join(shlex.quote(f"{REMOTE}/{rel}") for rel in delete)
        copy = f"cp -r --preserve=mode {stage}/. {REMOTE}/ && " if upload else ""
        self._run(result, node, f"mkdir -p {REMOTE} && {copy}rm -rf {stage} {removals}".strip())

    def deploy(self, stacks=("all",), lesson_order: bool = False) -> StepResult:
        result = StepResult("deploy")
        self._require_manager("deploy")
        view = self.manager_view()
        if view.network(NETWORK) is None:
            raise StepFailed(f"deploy: the overlay network {NETWORK} is missing: run step network first")
        missing = [n for n, v in swarm.read_nodes(self.cluster).items()
                   if isinstance(v, Exception) or "lemp1/compose/edge.yaml" not in v.level6]
        if missing:
            raise StepFailed(f"deploy: level6 is missing on {', '.join(missing)}: run step sync first")
        order = ["edge", "core", "storage"] if lesson_order else ["storage", "core", "edge"]
        chosen = order if "all" in stacks else [s for s in order if s in stacks]
        unknown = set(stacks) - set(STACKS) - {"all"}
        if unknown:
            raise StepFailed(f"deploy: unknown stack {', '.join(sorted(unknown))}: use edge, core, storage or all")
        before = set(view.stacks)
        env = " ".join(f"{k}={shlex.quote(v)}" for k, v in self.deploy_env().items())
        # nginx resolves php-fpm once, when it starts; with dnsrr that fixes the set of php-fpm tasks it uses.
        fresh_core = "core" not in before and self.endpoint_mode() == "dnsrr"
        for stack in chosen:
            if stack == "edge" and fresh_core and "core" in chosen and not lesson_order:
                self._wait_running("core_php-fpm")
            self._run(result, self.manager,
                      f"cd {COMPOSE} && {env} docker stack deploy -c ./{stack}.yaml --with-registry-auth {stack}")
            if lesson_order and stack == "edge" and "core" not in before:
                result.notes.append(self._gateway_failure(result))
            if lesson_order and stack == "core" and "edge" in before | set(chosen) and "core" not in before:
                self._wait_running("edge_gateway")
                result.notes.append("edge_gateway recovered by itself once php-fpm resolved")
                if fresh_core:
                    self._wait_running("core_php-fpm")
                    self.reload_gateways(result)
                    result.notes.append("reloaded nginx in edge_gateway: in dnsrr mode it must resolve php-fpm "
                                        "after all six tasks run to balance over them")
        new = [s for s in chosen if s not in before]
        result.changed = bool(new)
        result.summary = f"deployed {', '.join(new)}" if new else f"{', '.join(chosen)} already deployed (updated in place)"
        return result

    def reload_gateways(self, result: Optional[StepResult] = None) -> None:
        """`nginx -s reload` in every gateway container: nginx resolves php-fpm again, and neither the
        service's spec nor its tasks change (a forced update would, and the next deploy would undo it)."""
        command = ("docker ps -q --filter label=com.docker.swarm.service.name=edge_gateway "
                   "| xargs -r -I{} docker exec {} nginx -s reload")
        result = result or StepResult("reload")
        for name in self.inventory.names:
            self._run(result, name, command)

    def _wait_running(self, service: str, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        while True:
            view = self.manager_view()
            found = view.service(service)
            if found is not None and view.converged(found):
                return
            if time.monotonic() > deadline:
                raise StepFailed(f"deploy: {service} did not start all its tasks within {timeout:g} s: "
                                 f"see `docker service ps --no-trunc {service}`")
            time.sleep(1)

    def _gateway_failure(self, result: StepResult, timeout: float = 90) -> str:
        """Wait for the failure the lesson debugs, so that students (and tests) can read it."""
        deadline = time.monotonic() + timeout
        command = "docker service logs --raw --tail 50 edge_gateway"
        while time.monotonic() < deadline:
            logs = self.cluster.run(self.manager, command + " 2>&1")
            lines = [l.strip() for l in logs.stdout.splitlines() if UPSTREAM_FAILURE in l]
            if lines:
                result.ran.append(Ran(self.manager, command, logs.exit_status, self.mask("\n".join(lines[-2:]))))
                return f"edge_gateway fails as in the lesson: {lines[-1]}"
            time.sleep(1)
        raise StepFailed(f"deploy: edge_gateway did not show `{UPSTREAM_FAILURE}` within {timeout:g} s")

    def seed_data(self, timeout: float = 180) -> StepResult:
        result = StepResult("seed_data")
        address = resolve(self.inventory.manager).hostname
        deadline = time.monotonic() + timeout
        last = "no answer"
        while time.monotonic() < deadline:
            try:
                page = pages.fetch(address)
                if page.status == 200 and page.posts:
                    result.summary = f"the posts are already in the database ({len(page.posts)} on http://{address}/)"
                    return result
                if page.status == 200:
                    seeded = pages.fetch(address, "/init.php", timeout=10)
                    result.ran.append(Ran("host", f"GET http://{address}/init.php", 0, f"HTTP {seeded.status}"))
                    if seeded.status == 200:
                        result.changed, result.summary = True, f"requested http://{address}/init.php once"
                        return result
                last = f"HTTP {page.status}"
            except requests.RequestException as err:
                last = type(err).__name__
            time.sleep(2)
        raise StepFailed(f"seed_data: http://{address}/ did not answer 200 within {timeout:g} s ({last}): "
                         f"is storage deployed and healthy? run step deploy first")

    def teardown(self, timeout: float = 120) -> StepResult:
        result = StepResult("teardown")
        self._require_manager("teardown")
        present = [s for s in STACKS if s in self.manager_view().stacks]
        if present:
            self._run(result, self.manager, f"docker stack rm {' '.join(present)}")
        deadline = time.monotonic() + timeout
        volume = "storage_db_volume"
        removed = []
        while True:
            views = swarm.read_nodes(self.cluster)
            busy = [n for n, v in views.items() if not isinstance(v, Exception)
                    and any(c.service in SERVICES.values() for c in v.containers)]
            holders = [n for n, v in views.items() if not isinstance(v, Exception) and volume in v.volumes]
            if not busy:
                for node in holders:
                    self._run(result, node, f"docker volume rm {volume}")
                    removed.append(node)
                break
            if time.monotonic() > deadline:
                raise StepFailed(f"teardown: containers of the stacks still run on {', '.join(busy)} "
                                 f"after {timeout:g} s")
            time.sleep(1)
        result.changed = bool(present or removed)
        result.summary = (f"removed stacks {', '.join(present) or 'none'} and the db volume on "
                          f"{', '.join(removed) or 'no node'}")
        return result

    # -- convergence -----------------------------------------------------------------

    def wait_converged(self, timeout: float = 240) -> str:
        """Wait until every service runs its tasks, the db is healthy and every node serves the page."""
        deadline = time.monotonic() + timeout
        with ui.step("Waiting for the cluster to converge") as step:
            while True:
                waiting = self.not_converged()
                if not waiting:
                    return "every service at its replicas, db healthy, every node serves the page"
                step.update(waiting[0])
                if time.monotonic() > deadline:
                    raise StepFailed(f"the cluster did not converge within {timeout:g} s: {'; '.join(waiting)}")
                time.sleep(1)

    def not_converged(self) -> list:
        view = self.manager_view()
        waiting = []
        for name in SERVICES.values():
            service = view.service(name)
            if service is None:
                waiting.append(f"{name} is not deployed")
            elif not view.converged(service):
                want = len(view.eligible_nodes()) if service.mode == "global" else service.replicas
                waiting.append(f"{name} {len(view.tasks_of(service))}/{want}")
        if waiting:
            return waiting
        db = view.tasks_of(view.service("storage_db"))
        node = view.node_by_id(db[0].node_id).hostname if db else None
        views = swarm.read_nodes(self.cluster)
        container = views.get(node).container_of(db[0]) if node in views and not isinstance(views[node], Exception) else None
        if container is None or container.health != "healthy":
            return [f"storage_db is {container.health if container else 'starting'}"]
        for spec in self.inventory.nodes:
            try:
                status = pages.fetch(resolve(spec).hostname).status
            except requests.RequestException as err:
                status = type(err).__name__
            if status != 200:
                waiting.append(f"http://{spec.name}/ answers {status}")
        return waiting

    # -- the whole lesson --------------------------------------------------------------

    def step(self, name: str, **options) -> StepResult:
        if name not in STEPS + ("teardown",):
            raise StepFailed(f"unknown step {name!r}: use one of {', '.join(STEPS + ('teardown',))}")
        return getattr(self, name)(**options)

    def run(self, through: str = "seed_data", lesson_order: bool = False, on_step=None) -> list:
        if through not in STEPS:
            raise StepFailed(f"unknown step {through!r}: use one of {', '.join(STEPS)}")
        results = []
        for name in STEPS[: STEPS.index(through) + 1]:
            if name == "seed_data":
                self.wait_services()
            with ui.step(f"Lesson step {name}"):
                result = self.deploy(lesson_order=lesson_order) if name == "deploy" else self.step(name)
            results.append(result)
            if on_step:
                on_step(result)
        if through == "seed_data":
            self.wait_converged()
        return results

    def wait_services(self, timeout: float = 240) -> None:
        """Before seeding: the services run and the db is healthy (pages may still say 503)."""
        deadline = time.monotonic() + timeout
        with ui.step("Waiting for the services and a healthy db") as step:
            while True:
                waiting = [w for w in self.not_converged() if not w.startswith("http://")]
                if not waiting:
                    return
                step.update(waiting[0])
                if time.monotonic() > deadline:
                    raise StepFailed(f"the services did not start within {timeout:g} s: {'; '.join(waiting)}")
                time.sleep(1)


def local_level6(level6: Path) -> dict:
    """{relative path: sha256} of the project's level6, as the nodes' copies are compared."""
    if not (level6 / "lemp1" / "compose").is_dir():
        raise StepFailed(f"sync: {level6} does not hold the lesson's files (lemp1/compose is missing)")
    return {str(p.relative_to(level6)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(level6.rglob("*")) if p.is_file()}
