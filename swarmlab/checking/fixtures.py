"""Fixtures of the lesson's checks: the cluster's state, read once per run, and bounded live probes.

Everything a check needs is read here in a few round trips (one batched read
on the manager, one per node, in parallel); checks then assert on typed
objects. Every command goes through a recorder, which proves the checks
only read.
"""

import json
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import pytest
import requests

from labs import inventory as inventory_file
from labs import pages, probes, swarm
from labs.checking import CheckFailure
from labs.cluster import Cluster
from labs.lesson import local_level6, LEVEL6
from labs.ssh import Unreachable, resolve
from labs.state import default_inventory

SAMPLES = 12


@dataclass
class State:
    """The cluster as read at the start of the run; unreadable parts hold the exception."""

    inventory: object
    manager: object
    nodes: dict

    def manager_view(self) -> swarm.ManagerView:
        if isinstance(self.manager, Exception):
            raise CheckFailure("init.unreachable", node=self.inventory.manager.name, reason=_reason(self.manager))
        return self.manager

    def node_view(self, name: str) -> swarm.NodeView:
        view = self.nodes[name]
        if isinstance(view, Exception):
            raise CheckFailure("join.worker_unreachable", node=name, reason=_reason(view))
        return view


def _reason(err: Exception) -> str:
    text = str(err)
    return text.split(": ", 1)[1] if isinstance(err, Unreachable) and ": " in text else text


@pytest.fixture(scope="session")
def inventory(pytestconfig):
    return inventory_file.load(pytestconfig.getoption("--inventory") or default_inventory())


@pytest.fixture(scope="session")
def cluster(pytestconfig, inventory):
    recorded = []
    with Cluster(inventory, timeout=8, accept_new_host_keys=pytestconfig.getoption("--accept-new-host-keys"),
                 recorder=lambda node, command: recorded.append({"node": node, "command": command})) as cluster:
        yield cluster
    target = pytestconfig.getoption("--record-commands")
    if target:
        with open(target, "a") as out:
            out.writelines(json.dumps(entry) + "\n" for entry in recorded)


@pytest.fixture(scope="session")
def state(inventory, cluster) -> State:
    def read(name):
        if name == "@manager":
            return swarm.parse_manager(cluster.run(inventory.manager.name, swarm.MANAGER_READ, timeout=30).stdout)
        return swarm.parse_node(cluster.run(name, swarm.NODE_READ, timeout=30).stdout)

    results = cluster.map(read, ["@manager", *inventory.names])
    return State(inventory, results.pop("@manager"), results)


@pytest.fixture(scope="session")
def level6_digests():
    return local_level6(LEVEL6)


@pytest.fixture(scope="session")
def running(state):
    """{service name: [(task, node hostname)]} of running tasks, from the manager's view."""
    view = state.manager_view()
    out = {}
    for service in view.services:
        out[service.name] = [(t, getattr(view.node_by_id(t.node_id), "hostname", "?")) for t in view.tasks_of(service)]
    return out


@pytest.fixture(scope="session")
def probe_results(state, cluster, running):
    """One batched probe per node from its gateway container (DNS, and a ping to php-fpm elsewhere)."""
    view = state.manager_view()
    overlay = view.network("lemp-overlay")
    php = running.get("core_php-fpm", [])
    plans = {}
    for task, node in running.get("edge_gateway", []):
        node_view = state.nodes.get(node)
        container = node_view.container_of(task) if isinstance(node_view, swarm.NodeView) else None
        if container is None:
            continue
        elsewhere = [t.addresses.get(overlay.id) for t, n in php if n != node and overlay and t.addresses.get(overlay.id)]
        plans[node] = (container.id, elsewhere[0] if elsewhere else None)

    def run(node):
        container, target = plans[node]
        return probes.parse(node, container, target, cluster.run(node, probes.script(container, target), timeout=40).stdout)

    return cluster.map(run, list(plans))


@pytest.fixture(scope="session")
def page_samples(inventory):
    """Each node's page once, and SAMPLES requests to the first node (the lesson refreshes the manager's)."""
    def fetch(spec):
        try:
            return pages.fetch(resolve(spec).hostname)
        except requests.RequestException as err:
            return err

    with ThreadPoolExecutor(max_workers=len(inventory.nodes)) as pool:
        per_node = dict(zip(inventory.names, pool.map(fetch, inventory.nodes)))
    first = inventory.manager
    with ThreadPoolExecutor(max_workers=4) as pool:
        samples = list(pool.map(lambda _: fetch(first), range(SAMPLES)))
    return per_node, samples


@pytest.fixture(scope="session")
def service_evidence(cluster, state, running):
    """Why a service is short of tasks, as the lesson digs: task errors, then the service's last log lines."""
    def evidence(name: str) -> list:
        view = state.manager_view()
        service = view.service(name)
        if service is None:
            return []
        failed = [t for t in view.tasks_of(service, running_only=False) if t.error][:3]
        lines = [f"docker service ps --no-trunc {name}: {t.error}" for t in failed]
        logs = cluster.run(state.inventory.manager.name, f"timeout 15 docker service logs --raw --tail 5 {name} 2>&1")
        lines += [f"docker service logs {name}: {line}" for line in logs.stdout.splitlines()[-3:] if line.strip()]
        return lines

    return evidence
