"""Stage join: the swarm holds exactly the inventory's nodes, all Ready and Active, one Leader."""

import collections

from swarmlab.checking import Blocked, CheckFailure, check, expect
from swarmlab.checking.diagnose import clocks_apart, cloned, nftables, no_docker
from swarmlab.errors import reason


@check("join", "every_worker_answers_with_docker")
def every_worker_answers_with_docker(facts):
    if not facts.workers:
        facts.needs_several_nodes()
    for worker in facts.workers:
        error = facts.node_error(worker)
        if error is not None:
            raise CheckFailure("join.worker_unreachable", node=worker, reason=reason(error, facts.lang))
        info = facts.node(worker).info
        if info.engine is None:
            raise no_docker(facts, worker, info)


@check("join", "every_inventory_node_is_in_the_swarm")
def every_inventory_node_is_in_the_swarm(facts):
    members = {n.hostname for n in facts.manager().nodes}
    missing = [name for name in facts.names if name not in members]
    skewed = clocks_apart(facts) if missing else None
    if skewed is not None and skewed.params["node"] in missing:
        raise skewed
    for name in missing:
        try:
            info = facts.node(name).info
        except Blocked:
            continue
        refused = nftables(facts, name)
        if refused is not None:
            raise refused
        if info.swarm == "pending":
            raise CheckFailure(
                "join.pending",
                [f'docker info on {name}: Swarm.LocalNodeState pending, "{info.swarm_error}"'],
                node=name,
                error=info.swarm_error or "-",
            )
    expect(not missing, "join.not_joined", nodes=", ".join(missing))


@check("join", "the_swarm_has_no_node_outside_the_inventory")
def the_swarm_has_no_node_outside_the_inventory(facts):
    extra = sorted({n.hostname for n in facts.manager().nodes} - set(facts.names))
    expect(not extra, "join.extra", nodes=" ".join(extra))


@check("join", "no_node_is_listed_twice")
def no_node_is_listed_twice(facts):
    view = facts.manager()
    counts = collections.Counter(n.hostname for n in view.nodes)
    for hostname, count in counts.items():
        twins = cloned(facts, hostname)
        if twins is not None:
            raise twins
        stale = [n.id for n in view.nodes if n.hostname == hostname and not n.ready]
        expect(count == 1, "join.stale", node=hostname, ids=" ".join(stale) or "?")


@check("join", "every_node_is_ready_and_active")
def every_node_is_ready_and_active(facts):
    view = facts.manager()
    counts = collections.Counter(n.hostname for n in view.nodes)
    for node in view.nodes:
        if counts[node.hostname] > 1 and not node.ready:
            continue  # a stale duplicate: reported by no_node_is_listed_twice
        if node.state == "down":
            raise CheckFailure(
                "join.down",
                [f'docker node inspect {node.hostname}: Status {node.state} "{node.message}" Addr {node.addr}'],
                node=node.hostname,
                message=node.message or "-",
            )
        expect(node.ready, "join.not_ready", node=node.hostname, state=node.state)
        expect(node.availability == "active", "join.not_active", node=node.hostname, availability=node.availability)


@check("join", "one_manager_leads_and_the_others_are_workers")
def one_manager_leads_and_the_others_are_workers(facts):
    view = facts.manager()
    live = [n for n in view.nodes if n.ready]
    managers = [n.hostname for n in live if n.role == "manager"]
    if len(managers) > 1:
        extra = [m for m in managers if m != facts.manager_name]
        raise CheckFailure(
            "join.second_manager",
            [
                f"docker node ls: {n.hostname} {n.reachability or ''} {'Leader' if n.leader else ''}".strip()
                for n in live
                if n.role == "manager"
            ],
            count=len(managers),
            nodes=", ".join(managers),
            extra=" ".join(extra),
        )
    roles = {n.hostname: ("leader" if n.leader else n.role) for n in live}
    wanted = {name: ("leader" if name == facts.manager_name else "worker") for name in facts.names}
    expect(
        all(roles.get(name, role) == role for name, role in wanted.items()),
        "join.roles",
        roles=", ".join(f"{k}={v}" for k, v in sorted(roles.items())),
    )
