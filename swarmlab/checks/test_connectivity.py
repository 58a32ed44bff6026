"""Stage connectivity: the lesson's cross-node ping, from each gateway to php-fpm on every other node.

A failure names its cause: a node whose NetworkDB lacks the others (gossip,
7946), packets lost between nodes that know each other (VXLAN, 4789), or small
packets crossing while large ones vanish (a path MTU below the overlay's).
"""

from swarmlab.checking import Blocked, check
from swarmlab.checking.diagnose import mtu, why_no_cross_traffic
from swarmlab.lesson.spec import PHP_FPM


def cross_pings(facts):
    """(from node, to node, Ping) for every gateway and every php-fpm task on another node."""
    where = facts.task_addresses(PHP_FPM)
    facts.running("edge_gateway")
    facts.needs_several_nodes()
    if len(set(where.values())) < 2 and len(facts.ingress_nodes()) < 2:
        raise Blocked("blocked.one_php_node", nodes=", ".join(sorted(set(where.values()))))
    return [(name, where.get(p.target, p.target), p) for name in facts.gateway_nodes() for p in facts.probe(name).pings]


@check("connectivity", "each_gateway_pings_php_fpm_on_another_node")
def each_gateway_pings_php_fpm_on_another_node(facts):
    failed = [(a, b, ping) for a, b, ping in cross_pings(facts) if not ping.small]
    if failed:
        raise why_no_cross_traffic(facts, failed)


@check("connectivity", "large_packets_cross_between_nodes")
def large_packets_cross_between_nodes(facts):
    pings = cross_pings(facts)
    if any(not ping.small for _, _, ping in pings):
        raise Blocked("blocked.no_small_pings")
    failed = [(a, b, ping) for a, b, ping in pings if not ping.large]
    if failed:
        raise mtu(facts, [(a, b) for a, b, _ in failed], failed)
