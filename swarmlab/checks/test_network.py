"""Stage network: lemp-overlay is an overlay network of swarm scope, made by hand before the stacks."""

from swarmlab.checking import check, expect
from swarmlab.checking.diagnose import overlapping
from swarmlab.lesson.spec import NETWORK


def lemp_overlay(facts):
    network = facts.manager().network(NETWORK)
    expect(network is not None, "network.missing")
    return network


@check("network", "lemp_overlay_exists")
def lemp_overlay_exists(facts):
    lemp_overlay(facts)


@check("network", "lemp_overlay_is_an_overlay_of_swarm_scope")
def lemp_overlay_is_an_overlay_of_swarm_scope(facts):
    network = lemp_overlay(facts)
    expect(
        (network.driver, network.scope) == ("overlay", "swarm"),
        "network.driver",
        driver=network.driver,
        scope=network.scope,
    )


@check("network", "lemp_overlay_was_created_outside_the_stacks")
def lemp_overlay_was_created_outside_the_stacks(facts):
    stack = lemp_overlay(facts).labels.get("com.docker.stack.namespace")
    expect(stack is None, "network.from_stack", stack=stack)


@check("network", "lemp_overlay_does_not_overlap_the_nodes_networks")
def lemp_overlay_does_not_overlap_the_nodes_networks(facts):
    overlap = overlapping(facts, lemp_overlay(facts))
    if overlap is not None:
        raise overlap
