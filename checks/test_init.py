"""Stage init: `docker swarm init` on the manager made it the swarm's Leader."""

import pytest

from labs.checking import expect

pytestmark = pytest.mark.init


def test_manager_answers_with_docker(state):
    name = state.inventory.manager.name
    view = state.manager_view()
    expect(view.facts.engine is not None, "init.no_docker", node=name, reason=view.facts.error)


def test_swarm_is_active_on_the_manager(state):
    view = state.manager_view()
    expect(view.facts.swarm == "active", "init.swarm_inactive", node=state.inventory.manager.name,
           state=view.facts.swarm or "unknown")


def test_manager_is_a_manager_and_the_leader(state):
    view = state.manager_view()
    name = state.inventory.manager.name
    me = next((n for n in view.nodes if n.id == view.facts.node_id), None)
    expect(me is not None and me.role == "manager" and me.leader, "init.not_leader", node=name,
           role=me.role if me else "worker")
