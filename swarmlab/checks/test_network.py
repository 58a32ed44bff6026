"""Stage network: lemp-overlay is an overlay network of swarm scope, made by hand before the stacks."""

import pytest

from swarmlab.checking import check, expect
from swarmlab.lesson.spec import NETWORK

pytestmark = pytest.mark.network


def lemp_overlay(facts):
    network = facts.manager().network(NETWORK)
    expect(network is not None, "network.missing")
    return network


@check("lemp_overlay_exists")
def test_lemp_overlay_exists(facts):
    lemp_overlay(facts)


@check("lemp_overlay_is_an_overlay_of_swarm_scope")
def test_lemp_overlay_is_an_overlay_of_swarm_scope(facts):
    network = lemp_overlay(facts)
    expect((network.driver, network.scope) == ("overlay", "swarm"), "network.driver", driver=network.driver,
           scope=network.scope)


@check("lemp_overlay_was_created_outside_the_stacks")
def test_lemp_overlay_was_created_outside_the_stacks(facts):
    stack = lemp_overlay(facts).labels.get("com.docker.stack.namespace")
    expect(stack is None, "network.from_stack", stack=stack)
