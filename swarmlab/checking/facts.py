"""What a check may know about the cluster, each fact fetched once and missing facts named.

A check asks for the facts it needs (the manager's view, a service, a running
gateway on a node, the probes); a fact that cannot be had raises Blocked with
its name ("edge_gateway has no running task on worker-2"), so a check is only
ever blocked by something it really needs.
"""

from typing import Optional

from ..errors import NodeUnreachable, reason
from ..lesson import spec
from ..state.pages import Page
from ..state.reads import Reader
from ..state.views import ManagerView, NodeView
from .results import Blocked, NotApplicable

SAMPLES = 12  # requests to one page at most, to see php-fpm's hostname change


class Facts:
    def __init__(self, reader: Reader, part: int = 1, lang: str = "ru"):
        self.reader = reader
        self.inventory = reader.inventory
        self.part = spec.part(part)
        self.lang = lang
        self._samples: dict = {}

    @property
    def names(self) -> tuple:
        return self.inventory.names

    @property
    def manager_name(self) -> str:
        return self.inventory.manager.name

    @property
    def workers(self) -> tuple:
        return tuple(n.name for n in self.inventory.workers)

    # -- the first read ----------------------------------------------------------------------

    def manager_error(self) -> Optional[Exception]:
        view = self.reader.snapshot().manager
        return view if isinstance(view, Exception) else None

    def manager(self) -> ManagerView:
        """The manager's view of a swarm that is active there."""
        view = self.reader.snapshot().manager
        name = self.manager_name
        if isinstance(view, NodeUnreachable):
            raise Blocked("blocked.unreachable", node=name, reason=reason(view, self.lang))
        if isinstance(view, Exception):
            raise Blocked("blocked.unreadable", node=name, reason=str(view))
        if view.info.engine is None:
            raise Blocked("blocked.no_docker", node=name)
        if view.info.swarm != "active" or not view.info.is_manager:
            raise Blocked("blocked.no_swarm", node=name)
        return view

    def node(self, name: str) -> NodeView:
        view = self.reader.snapshot().nodes[name]
        if isinstance(view, NodeUnreachable):
            raise Blocked("blocked.unreachable", node=name, reason=reason(view, self.lang))
        if isinstance(view, Exception):
            raise Blocked("blocked.unreadable", node=name, reason=str(view))
        return view

    def node_error(self, name: str) -> Optional[Exception]:
        view = self.reader.snapshot().nodes[name]
        return view if isinstance(view, Exception) else None

    def service(self, name: str):
        found = self.manager().service(name)
        if found is None:
            raise Blocked("blocked.service", service=name)
        return found

    def overlay(self):
        found = self.manager().network(spec.NETWORK)
        if found is None:
            raise Blocked("blocked.network", network=spec.NETWORK)
        return found

    def running(self, service_name: str) -> dict:
        """{hostname: running tasks}; blocked when the service runs no task at all."""
        view = self.manager()
        found = view.running_on(self.service(service_name))
        if not found:
            raise Blocked("blocked.no_task", service=service_name)
        return found

    def task_addresses(self, service_name: str) -> dict:
        """{overlay address: hostname} of the service's running tasks."""
        overlay = self.overlay()
        return {
            t.addresses[overlay.id]: host
            for host, tasks in self.running(service_name).items()
            for t in tasks
            if t.addresses.get(overlay.id)
        }

    def ingress_nodes(self) -> list:
        return self.part.ingress_nodes(self.names)

    def gateway_on(self, name: str):
        """The gateway container running on a node."""
        node = self.node(name)
        container = next(iter(node.running(spec.GATEWAY)), None)
        if container is None:
            raise Blocked("blocked.no_gateway_on", node=name)
        return container

    def manager_runs_gateway_on(self, name: str) -> bool:
        """Whether the manager, too, sees a gateway task running on the node. In a restart loop the node's read
        and the manager's each catch their own moment; a node that has gone Down keeps serving while the manager
        sees none, so this is asked only of a page that failed."""
        view = self.manager()
        service = view.service(spec.GATEWAY)
        return service is not None and bool(view.running_on(service).get(name))

    def gateway_nodes(self) -> list:
        """The ingress nodes a gateway runs on (what can be probed or fetched there); blocked if there is none."""
        found = []
        for name in self.ingress_nodes():
            try:
                self.gateway_on(name)
            except Blocked:
                continue
            found.append(name)
        if not found:
            raise Blocked("blocked.no_task", service=spec.GATEWAY)
        return found

    def needs_several_nodes(self) -> None:
        """The homework's one-node swarm has nothing to cross: a check that needs two nodes does not apply.
        Asked after the check's own prerequisites, so an unfinished cluster is blocked, not excused."""
        if len([n for n in self.manager().nodes if n.ready]) < 2 and len(self.names) < 2:
            raise NotApplicable("not_applicable.one_node")

    def db_container(self):
        """The db's running container and the node it runs on."""
        tasks = self.running(spec.DB)
        host, task = next((h, ts[0]) for h, ts in tasks.items())
        container = self.node(host).container_of(task) if host in self.names else None
        if container is None:
            raise Blocked("blocked.no_task", service=spec.DB)
        return host, container

    def require_healthy_db(self) -> None:
        _, container = self.db_container()
        if container.health != "healthy":
            raise Blocked("blocked.db_unhealthy", health=container.health or "no healthcheck")

    # -- the second read and pages ------------------------------------------------------------

    def probe(self, name: str):
        probe = self.reader.probes().get(name)
        if probe is None:
            raise Blocked("blocked.no_gateway_on", node=name)
        if isinstance(probe, Exception):
            raise Blocked("blocked.unreachable", node=name, reason=reason(probe, self.lang))
        return probe

    def require_overlay(self) -> None:
        """Packets, small and large, cross between every gateway and php-fpm on the other nodes."""
        where = self.task_addresses(spec.PHP_FPM)
        lost = []
        for name in self.ingress_nodes():
            probe = self.reader.probes().get(name)
            if probe is None or isinstance(probe, Exception):
                continue
            lost += [f"{name} → {where.get(p.target, p.target)}" for p in probe.pings if not (p.small and p.large)]
        if lost:
            raise Blocked("blocked.overlay", pairs=", ".join(lost))

    def page(self, name: str, path: str = "/"):
        return self.reader.page(name, path)

    def samples(self, node: str, nodes_wanted: int, limit: int = SAMPLES) -> list:
        """Requests to one node's page until php-fpm hostnames from `nodes_wanted` nodes have answered (at most
        `limit`), as a student refreshes the page to see the host change; asked once per run."""
        if node not in self._samples:
            seen, pages = set(), []
            for _ in range(limit):
                page = self.reader.fetch(node, "/", timeout=5)
                pages.append(page)
                if isinstance(page, Page) and page.host:
                    seen.add(spec.node_in_hostname(page.host, self.names) or page.host)
                if len(seen) >= nodes_wanted:
                    break
            self._samples[node] = pages
        return self._samples[node]

    def task_errors(self, service_name: str, limit: int = 6) -> list:
        """(hostname, task) of the service's latest failed or pending tasks, newest first, one per node.

        A task that ran another image than the service runs now is history (an image typo since fixed and rolled
        back, say), and so is one on a node that runs a newer task of the service now (the lesson's edge that
        failed before core was deployed): their errors are not why the service fails today."""
        view = self.manager()
        service = view.service(service_name)
        if service is None:
            return []
        seen, running, found = set(), set(), []
        for task in sorted(view.tasks_of(service, running_only=False), key=lambda t: t.timestamp, reverse=True):
            host = view.hostname_of(task) if task.node_id else "-"
            if task.state == "running":
                running.add(host)
            if (task.image and task.image != service.image) or host in running:
                continue
            if (task.error or task.state in ("pending", "rejected")) and host not in seen:
                seen.add(host)
                found.append((host, task))
        return found[:limit]

    def logs(self, service_name: str, tail: int = 20) -> list:
        return self.reader.service_logs(service_name, tail)
