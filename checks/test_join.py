"""Stage join: the swarm holds exactly the inventory's nodes, all Ready and Active, one Leader."""

import collections

import pytest

from labs.checking import expect

pytestmark = pytest.mark.join


def test_every_worker_answers_with_docker(state):
    for worker in state.inventory.workers:
        facts = state.node_view(worker.name).facts
        expect(facts.engine is not None, "init.no_docker", node=worker.name, reason=facts.error)


def test_every_inventory_node_is_in_the_swarm(state):
    members = {n.hostname for n in state.manager_view().nodes}
    missing = [name for name in state.inventory.names if name not in members]
    expect(not missing, "join.not_joined", nodes=", ".join(missing))


def test_the_swarm_has_no_node_outside_the_inventory(state):
    extra = sorted({n.hostname for n in state.manager_view().nodes} - set(state.inventory.names))
    expect(not extra, "join.extra", nodes=" ".join(extra))


def test_no_node_is_listed_twice(state):
    view = state.manager_view()
    counts = collections.Counter(n.hostname for n in view.nodes)
    for hostname, count in counts.items():
        stale = [n.id for n in view.nodes if n.hostname == hostname and n.state != "ready"]
        expect(count == 1, "join.stale", node=hostname, ids=" ".join(stale) or "?")


def test_every_node_is_ready_and_active(state):
    view = state.manager_view()
    counts = collections.Counter(n.hostname for n in view.nodes)
    for node in view.nodes:
        if counts[node.hostname] > 1 and node.state != "ready":
            continue  # a stale duplicate: reported by test_no_node_is_listed_twice
        expect(node.state == "ready", "join.not_ready", node=node.hostname, state=node.state)
        expect(node.availability == "active", "join.not_active", node=node.hostname, availability=node.availability)


def test_one_manager_leads_and_the_others_are_workers(state):
    view = state.manager_view()
    roles = {n.hostname: ("leader" if n.leader else n.role) for n in view.nodes if n.state == "ready"}
    wanted = {spec.name: ("leader" if spec.is_manager else "worker") for spec in state.inventory.nodes}
    expect(all(roles.get(name, role) == role for name, role in wanted.items()), "join.roles",
           roles=", ".join(f"{k}={v}" for k, v in sorted(roles.items())))
