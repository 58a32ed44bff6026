"""What the dashboard shows: one JSON-ready snapshot per refresh, built from the read side only.

A source is any callable `source(progress) -> dict` returning such a snapshot
(and, when its work is long, handing partial ones to `progress` meanwhile).
The pages in static/ read nothing but these dicts, so a cluster read over SSH
(ClusterSource) and one read from inside through its per-node agents (the panel's
AgentSource, frontends/panel/source.py) feed the same views: only the source changes.
"""

from datetime import datetime, timezone
from typing import Callable, Optional

from ...checking.results import summary
from ...checks import run_checks
from ...errors import reason as why
from ...lesson.spec import DB, NETWORK, PART_STAGES
from ...lesson.spec import reader as lesson_reader
from ...state.models import Task, when
from ...state.reads import Reader
from ...state.views import ManagerView, NodeView
from ...transport.cluster import Cluster

RECENT = 600  # seconds: a failed attempt older than this is the slot's history, not what happens to it now
FAILED = ("failed", "rejected", "orphaned")


def now() -> datetime:
    return datetime.now(timezone.utc)


def age(stamp: str, at: datetime) -> Optional[float]:
    moment = when(stamp)
    return None if moment is None else round(max(0.0, (at - moment).total_seconds()), 1)


def masked(value, mask: Callable[[str], str]):
    """Every string of a snapshot, keys included, through the masker: nothing unmasked reaches a page."""
    if isinstance(value, str):
        return mask(value)
    if isinstance(value, dict):
        return {masked(k, mask) if isinstance(k, str) else k: masked(v, mask) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [masked(v, mask) for v in value]
    return value


# -- one cluster ----------------------------------------------------------------------------------


class ClusterSource:
    """One cluster, read afresh on every call: one Reader serves both the picture and the checks."""

    kind = "cluster"

    def __init__(self, cluster: Cluster, title: str, part: int = 1, lang: str = "ru"):
        self.cluster, self.title, self.part, self.lang = cluster, title, part, lang
        self.addresses = {name: cluster.address(name) for name in cluster.names}  # where a browser reaches them

    def __call__(self, progress=None) -> dict:
        reader = lesson_reader(self.cluster)
        results = run_checks(reader, PART_STAGES[self.part], self.lang, self.part)
        return picture(reader, results, self.addresses, title=self.title, part=self.part, lang=self.lang)


def picture(reader: Reader, results, addresses: dict, title: str, part: int, lang: str) -> dict:
    """The cluster as the visualiser, the overlay and the checklist show it."""
    at = now()
    snapshot = reader.snapshot()
    view = snapshot.manager if isinstance(snapshot.manager, ManagerView) else None
    probes = reader.probes() if view is not None else {}
    names = list(reader.inventory.names)
    if view is not None:
        names += sorted({n.hostname for n in view.nodes if n.hostname and n.hostname not in names})
    tasks = _tasks(view, snapshot.nodes, at) if view is not None else []
    nodes = [
        _node(
            name,
            view,
            snapshot.nodes.get(name),
            addresses.get(name),
            reader,
            lang,
            [t for t in tasks if t["node"] == name],
        )
        for name in names
    ]
    return {
        "kind": "cluster",
        "title": title,
        "part": part,
        "lang": lang,
        "read_at": at.isoformat(timespec="seconds"),
        "manager": reader.inventory.manager.name,
        "manager_error": why(snapshot.manager, lang)
        if isinstance(snapshot.manager, Exception)
        else (view.info.error or (None if view.info.swarm == "active" else f"swarm: {view.info.swarm}")),
        "nodes": nodes,
        "unassigned": [t for t in tasks if t["node"] not in names],
        "services": _services(view, snapshot.nodes) if view is not None else [],
        "overlay": _overlay(view, snapshot.nodes, probes, tasks, lang),
        "checks": _checks(results),
    }


def _node(
    name: str, view: Optional[ManagerView], node_view, address: Optional[str], reader: Reader, lang: str, tasks: list
) -> dict:
    member = view.node_named(name) if view is not None else None
    entry = {
        "name": name,
        "address": address,
        "url": f"http://{address}/" if address else None,
        "in_inventory": name in reader.inventory.names,
        "tasks": tasks,
        "role": member.role if member else None,
        "leader": bool(member and member.leader),
        "state": member.state if member else None,
        "availability": member.availability if member else None,
        "labels": member.labels if member else {},
        "addr": member.addr if member else None,
        "message": member.message if member else None,
        "engine": (member.engine if member else None) or None,
        "swarm": None,
        "unreachable": None,
        "page": None,
    }
    if isinstance(node_view, Exception):
        entry["unreachable"] = why(node_view, lang)
    elif isinstance(node_view, NodeView):
        entry["engine"] = node_view.info.engine or entry["engine"]
        entry["swarm"] = node_view.info.swarm
        entry["docker_error"] = node_view.info.error
        entry["page"] = _page(reader, name) if address else None
    return entry


def _page(reader: Reader, name: str) -> dict:
    """The node's page as the checks fetched it (cached), so the dashboard adds no request of its own."""
    found = reader.page(name)
    if isinstance(found, Exception):
        return {"error": getattr(found, "kind", str(found))}
    return {"status": found.status, "host": found.host, "posts": len(found.posts)}


def _tasks(view: ManagerView, node_views: dict, at: datetime) -> list:
    """One card per slot (per node for a global service): its current task, with the slot's latest recent failure
    when that is not the current task itself, in Docker's own words."""
    services = {s.id: s for s in view.services}
    overlay = view.network(NETWORK)
    slots = {}
    for task in view.tasks:
        service = services.get(task.service_id)
        if service is not None:
            key = (service.name, task.slot if service.mode == "replicated" else task.node_id)
            slots.setdefault(key, []).append(task)
    cards = []
    for _, history in sorted(slots.items(), key=lambda item: (item[0][0], str(item[0][1]))):
        history.sort(key=lambda t: t.timestamp, reverse=True)
        current = next((t for t in history if t.desired_state in ("running", "ready")), None)
        failure = next(
            (t for t in history if t.state in FAILED and t is not current and (age(t.timestamp, at) or 0) < RECENT),
            None,
        )
        if current is None and failure is None:
            continue
        service = services[(current or failure).service_id]
        card = _card(current or failure, service, view, node_views, overlay, at)
        if current is not None and failure is not None:
            card["previous"] = {
                "state": failure.state,
                "error": failure.error,
                "message": failure.message,
                "age": age(failure.timestamp, at),
                "exit_code": failure.exit_code,
            }
        cards.append(card)
    return cards


def _card(task: Task, service, view: ManagerView, node_views: dict, overlay, at: datetime) -> dict:
    host = view.hostname_of(task) if task.node_id else None
    node_view = node_views.get(host)
    container = node_view.container_of(task) if isinstance(node_view, NodeView) else None
    short = service.name.split("_", 1)[1] if service.stack and "_" in service.name else service.name
    return {
        "id": task.id,
        "service": service.name,
        "short": short,
        "stack": service.stack,
        "node": host,
        "slot": task.slot if service.mode == "replicated" else None,
        "name": f"{short}.{task.slot}" if service.mode == "replicated" else f"{short}@{host or '?'}",
        "state": task.state,
        "desired": task.desired_state,
        "age": age(task.timestamp, at),
        "error": task.error,
        "message": task.message,
        "exit_code": task.exit_code,
        "ip": task.addresses.get(overlay.id) if overlay is not None else None,
        "hostname": container.hostname if container else None,
        "health": container.health if container else None,
        "health_output": container.health_output if container and container.health not in (None, "healthy") else "",
        "ports": [str(p) for p in service.ports],
    }


def _services(view: ManagerView, node_views: dict) -> list:
    overlay = view.network(NETWORK)
    found = []
    for service in sorted(view.services, key=lambda s: s.name):
        entry = {
            "name": service.name,
            "stack": service.stack,
            "mode": service.mode,
            "image": service.image,
            "wanted": view.wanted(service),
            "running": len(view.tasks_of(service)),
            "endpoint_mode": service.endpoint_mode,
            "update": service.update_state,
            "vip": service.vips.get(overlay.id) if overlay is not None else None,
            "ports": [
                {"published": p.published, "target": p.target, "protocol": p.protocol, "mode": p.mode}
                for p in service.ports
            ],
        }
        if service.name == DB:
            healths = [
                c.health
                for host, tasks in view.running_on(service).items()
                for t in tasks
                for c in [_container(node_views.get(host), t)]
                if c is not None
            ]
            entry["health"] = healths[0] if healths else None
        found.append(entry)
    return found


def _container(node_view, task):
    return node_view.container_of(task) if isinstance(node_view, NodeView) else None


def _overlay(view: Optional[ManagerView], node_views: dict, probes: dict, tasks: list, lang: str) -> dict:
    network = view.network(NETWORK) if view is not None else None
    entry = {
        "name": NETWORK,
        "exists": network is not None,
        "subnet": None,
        "driver": None,
        "scope": None,
        "endpoints": [],
        "services": [],
        "lookups": [],
        "pings": [],
        "probe_errors": [],
    }
    if network is None:
        return entry
    entry.update(subnet=", ".join(network.subnets) or None, driver=network.driver, scope=network.scope)
    entry["endpoints"] = [
        {
            "task": t["id"],
            "node": t["node"],
            "service": t["service"],
            "name": t["name"],
            "ip": t["ip"],
            "hostname": t["hostname"],
        }
        for t in tasks
        if t["ip"] and t["desired"] == "running" and t["state"] == "running"
    ]
    for service in sorted(view.services, key=lambda s: s.name):
        if network.id not in service.networks and network.id not in service.vips:
            continue
        short = service.name.split("_", 1)[1] if service.stack and "_" in service.name else service.name
        entry["services"].append(
            {
                "name": service.name,
                "mode": service.endpoint_mode,
                "vip": service.vips.get(network.id),
                "names": [short, f"tasks.{short}"],
            }
        )
    by_ip = {e["ip"]: e for e in entry["endpoints"]}
    for node, probe in sorted(probes.items()):
        if isinstance(probe, Exception):
            entry["probe_errors"].append({"node": node, "error": why(probe, lang)})
            continue
        if probe.error:
            entry["probe_errors"].append({"node": node, "error": probe.error})
        if probe.gateway:
            entry["lookups"].append({"node": node, "name": "php-fpm", "addresses": sorted(probe.upstream)})
            entry["lookups"].append({"node": node, "name": "tasks.php-fpm", "addresses": sorted(probe.upstream_tasks)})
        source = _gateway_task(node_views.get(node), probe.gateway)
        for ping in probe.pings:
            target = by_ip.get(ping.target)
            entry["pings"].append(
                {
                    "from": source,
                    "from_node": node,
                    "to": target["task"] if target else None,
                    "to_node": target["node"] if target else None,
                    "target": ping.target,
                    "small": ping.small,
                    "large": ping.large,
                }
            )
    return entry


def _gateway_task(node_view, container_id: Optional[str]) -> Optional[str]:
    if not container_id or not isinstance(node_view, NodeView):
        return None
    container = next((c for c in node_view.containers if c.id == container_id), None)
    return container.task_id if container else None


def _checks(results) -> dict:
    stages = {}
    for r in results:
        stages.setdefault(r.stage, []).append(
            {
                "id": r.id,
                "title": r.title or r.id.replace("_", " "),
                "outcome": r.outcome,
                "message": r.message,
                "hint": r.hint,
                "evidence": list(r.evidence),
            }
        )
    return {
        "summary": summary(results),
        "stages": [{"stage": stage, "outcome": _worst(checks), "checks": checks} for stage, checks in stages.items()],
    }


def _worst(checks: list) -> str:
    outcomes = {c["outcome"] for c in checks}
    return next((o for o in ("failed", "blocked", "passed") if o in outcomes), "not_applicable")
