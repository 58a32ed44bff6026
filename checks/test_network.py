"""Stage network: lemp-overlay is an overlay network of swarm scope, made by hand before the stacks."""

import pytest

from labs.checking import expect

pytestmark = pytest.mark.network


def test_lemp_overlay_exists(state):
    expect(state.manager_view().network("lemp-overlay") is not None, "network.missing")


def test_lemp_overlay_is_an_overlay_of_swarm_scope(state):
    network = state.manager_view().network("lemp-overlay")
    expect(network is not None, "network.missing")
    expect((network.driver, network.scope) == ("overlay", "swarm"), "network.driver",
           driver=network.driver, scope=network.scope)


def test_lemp_overlay_was_created_outside_the_stacks(state):
    network = state.manager_view().network("lemp-overlay")
    expect(network is not None, "network.missing")
    stack = network.labels.get("com.docker.stack.namespace")
    expect(stack is None, "network.from_stack", stack=stack)
