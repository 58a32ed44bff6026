"""What the lesson's steps work with: the cluster, the part, the lesson's files, the write side, and the reads a
step needs before it changes anything (the write side may read; the read side may not write).
"""

import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from .. import resources, ui
from ..errors import StepFailed
from ..secrets import Masker, lesson_passwords
from ..state import reads
from ..state import templates as T
from ..state.models import Info
from ..state.views import ManagerView, NodeView
from ..transport.cluster import Cluster
from ..waiting import until
from . import spec
from .commands import Admin, Ran


@dataclass(frozen=True)
class Options:
    """What a run or one step was asked for, beyond the part."""

    stacks: tuple = ("all",)  # deploy: the stacks to deploy
    lesson_order: bool = False  # deploy: edge first, so that the lesson's failure shows
    reseed: bool = False  # seed_data: start the db's data afresh, wherever copies of it are


AS_WRITTEN = Options()


class Context:
    def __init__(self, cluster: Cluster, part: int = 1, level6: Optional[Path] = None):
        self.cluster = cluster
        self.inventory = cluster.inventory
        self.part = spec.part(part)
        self.level6 = level6 or resources.level6()
        self.admin = Admin(cluster, Masker(*lesson_passwords(self.level6)))
        self._endpoint_mode: Optional[str] = None
        self._agent_secret: Optional[str] = None

    @property
    def mask(self) -> Masker:
        return self.admin.mask

    @property
    def manager(self) -> str:
        return self.inventory.manager.name

    # -- reads ---------------------------------------------------------------------------------

    def info(self, node: str) -> Info:
        return reads.read_info(self.cluster, node)

    def manager_view(self) -> ManagerView:
        return reads.read_manager(self.cluster)

    def node_views(self) -> dict:
        return reads.read_nodes(self.cluster, spec.LESSON_DIR)

    def endpoint_mode(self) -> str:
        """vip where the nodes' kernel has IPVS, dnsrr where VIPs would resolve but carry nothing."""
        if self._endpoint_mode is None:
            mode = self.inventory.endpoint_mode
            self._endpoint_mode = ("vip" if self.info(self.manager).ipvs else "dnsrr") if mode == "auto" else mode
        return self._endpoint_mode

    def deploy_env(self) -> dict:
        env = {spec.IMAGE_VARS[name]: image for name, image in self.inventory.images.items() if name in spec.IMAGE_VARS}
        env["LEMP_ENDPOINT_MODE"] = self.endpoint_mode()
        env["LEMP_PUBLISH_MODE"] = "ingress" if self.endpoint_mode() == "vip" else "host"
        env["LEMP_AGENT_SECRET"] = self.agent_secret()
        return env

    def agent_secret(self) -> str:
        """The secret part 2's panel and agents share: the one they were deployed with (a redeploy keeps them
        talking), else a new one; masked like every secret."""
        if self._agent_secret is None:
            deployed = self.manager_view().service(spec.PANEL_AGENT)
            self._agent_secret = (deployed.env.get("AGENT_SECRET") if deployed else None) or os.urandom(16).hex()
            self.mask.add(self._agent_secret)
        return self._agent_secret

    def ingress_nodes(self) -> list:
        return self.part.ingress_nodes(self.inventory.names)

    def db_nodes(self) -> list:
        view = self.manager_view()
        db = view.service(spec.DB)
        return sorted(view.running_on(db)) if db else []

    def db_volume_holders(self) -> list:
        return sorted(
            name
            for name, view in self.node_views().items()
            if isinstance(view, NodeView) and view.volume(spec.DB_VOLUME) is not None
        )

    def db_copies(self) -> dict:
        """{node: whether its copy of the db's volume holds the lesson's table} for every node that has one: in part
        1 the volume is local to each node the db ever ran on, and only the one that was seeded holds the posts."""
        db = self.manager_view().service(spec.DB)
        database = (db.env.get("MYSQL_DATABASE") if db else None) or spec.DATABASE
        folder = reads.database_folder(database)
        if not T.FILE_NAME.valid(folder):
            folder = reads.database_folder(spec.DATABASE)
        return {
            node: any(
                f.startswith(spec.POSTS + ".") for f in reads.volume_files(self.cluster, node, spec.DB_VOLUME, folder)
            )
            for node in self.db_volume_holders()
        }

    # -- what several steps (and the notebooks' magics) wait for --------------------------------

    def wait_ready(self, workers) -> ManagerView:
        """Until the manager lists every worker named Ready; the view that showed it."""

        def ready():
            view = self.manager_view()
            return view if all(getattr(view.node_named(w), "ready", False) for w in workers) else None

        return until(
            ready, timeout=60, what=f"join: {', '.join(workers)} to be Ready on {self.manager}", error=StepFailed
        )

    def wait_rolled_out(self, service: str, timeout: float = 180) -> None:
        def done():
            found = self.manager_view().service(service)
            return found is not None and found.update_state in (None, "completed")

        until(done, timeout=timeout, what=f"{service}'s update to complete", error=StepFailed)

    def wait_running(self, service: str, timeout: float = 120) -> None:
        def running():
            view = self.manager_view()
            found = view.service(service)
            return found is not None and view.converged(found)

        until(
            running,
            timeout=timeout,
            what=f"{service} to run all its tasks (see `docker service ps --no-trunc {service}`)",
            error=StepFailed,
        )

    def gateway_failure(self, timeout: float = 90) -> str:
        """Wait for the failure the lesson debugs, so that students (and tests) can read it."""
        command = "docker service logs --raw --tail 50 %s 2>&1"

        def logged():
            done = self.cluster.run(self.manager, command, spec.GATEWAY)
            lines = [line.strip() for line in done.stdout.splitlines() if spec.UPSTREAM_FAILURE in line]
            return lines or None

        lines = until(
            logged, timeout=timeout, what=f"deploy: edge_gateway to show `{spec.UPSTREAM_FAILURE}`", error=StepFailed
        )
        self.admin.ran.append(
            Ran(
                self.manager, f"docker service logs --raw --tail 50 {spec.GATEWAY}", 0, self.mask("\n".join(lines[-2:]))
            )
        )
        return f"edge_gateway fails as in the lesson: {lines[-1]}"

    def not_running(self, names=None) -> list:
        """What keeps the part's services (or those named) from running as the part says, in words; empty when
        nothing does."""
        view = self.manager_view()
        waiting = []
        for service in self.part.services:
            if names is not None and service.name not in names:
                continue
            found = view.service(service.name)
            if found is None:
                waiting.append(f"{service.name} is not deployed")
            elif not view.converged(found):
                waiting.append(f"{service.name} {len(view.tasks_of(found))}/{view.wanted(found)}")
        if waiting or (names is not None and spec.DB not in names):
            return waiting
        db = view.tasks_of(view.service(spec.DB))
        node = view.hostname_of(db[0]) if db else None
        views = self.node_views()
        container = views[node].container_of(db[0]) if isinstance(views.get(node), NodeView) else None
        if container is None or container.health != "healthy":
            return [f"storage_db is {container.health if container else 'starting'}"]
        return []

    def wait_overlay(self, result, timeout: float = 150, repair: bool = False) -> reads.Reader:
        """Until every gateway resolves php-fpm's running tasks and reaches them on every other node; the read
        that showed it, for the checks to judge the same moment.

        The overlay is eventually consistent: each node learns the others' tasks by gossip (NetworkDB). Docker
        Engine up to 29 can miss a node's rejoin while a task crash-loops on a fresh network (the lesson's edge
        before core) and then ignores that node's tasks until a periodic push/pull repairs it, up to a minute
        later (moby/moby#53437 fixes it upstream). Waiting for that is said when it happens; a fault that does not
        heal (a firewall, an MTU) still ends here after `timeout`, naming the pairs.

        With `repair` (the driver, never a wait of the notebooks), a php-fpm task that docker ran without its
        overlay address is replaced once, and said: no wait attaches it."""
        started = time.monotonic()
        problems = [""]
        replaced: list = []

        def converged():
            reader = spec.reader(self.cluster)
            if repair and not replaced and (found := reader.unattached()):
                self.admin.service_update_force(spec.PHP_FPM)
                self.wait_rolled_out(spec.PHP_FPM)
                replaced.extend(f"{container.name} on {host}" for host, _, container, _ in found)
                result.notes.append(
                    f"replaced {spec.PHP_FPM}'s tasks: {', '.join(replaced)} ran without its address on "
                    f"{spec.NETWORK} (its container was not attached)"
                )
                return None
            problems[0] = "; ".join(reader.overlay_problems())
            return reader if not problems[0] else None

        with ui.step("Waiting for the overlay to reach every node") as shown:
            reader = until(
                converged,
                timeout=timeout,
                interval=2,
                progress=lambda: problems[0],
                step=shown,
                what="the overlay does not carry php-fpm's tasks between the nodes: run `swarmlab check "
                "--stage connectivity` for the cause",
                error=StepFailed,
            )
        waited = time.monotonic() - started
        if waited > 10 and not replaced:
            result.notes.append(
                f"waited {waited:.0f} s for the overlay's NetworkDB to reach every node (a node "
                f"missed another's join while edge crash-looped: moby/moby#53437); it healed by itself"
            )
        return reader
