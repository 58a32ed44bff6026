"""Stage init: `docker swarm init` on the manager made it the swarm's Leader."""

from swarmlab.checking import Blocked, CheckFailure, check, expect
from swarmlab.checking.diagnose import nftables, no_docker, two_cards
from swarmlab.errors import reason


@check("init", "manager_answers_with_docker")
def manager_answers_with_docker(facts):
    error = facts.manager_error()
    name = facts.manager_name
    if error is not None:
        raise CheckFailure("init.unreachable", node=name, reason=reason(error, facts.lang))
    info = facts.reader.snapshot().manager.info
    if info.engine is None:
        raise no_docker(facts, name, info)


@check("init", "swarm_is_active_on_the_manager")
def swarm_is_active_on_the_manager(facts):
    name = facts.manager_name
    if facts.manager_error() is not None:
        raise Blocked("blocked.unreachable", node=name, reason=reason(facts.manager_error(), facts.lang))
    info = facts.reader.snapshot().manager.info
    if info.engine is None:
        raise Blocked("blocked.no_docker", node=name)
    if info.swarm != "active":
        cause = nftables(facts, name) or two_cards(facts, name)
        if cause is not None:
            raise cause
    state = info.swarm + (f": {info.swarm_error}" if info.swarm_error else "")
    expect(info.swarm == "active", "init.swarm_inactive", node=name, state=state)


@check("init", "manager_is_a_manager_and_the_leader")
def manager_is_a_manager_and_the_leader(facts):
    name = facts.manager_name
    info = facts.reader.snapshot().manager
    if isinstance(info, Exception) or info.info.swarm != "active":
        facts.manager()  # blocked: says what is missing
    if not info.info.is_manager:
        raise CheckFailure("init.not_leader", node=name, role="worker")
    me = facts.manager().me
    expect(
        me is not None and me.role == "manager" and me.leader,
        "init.not_leader",
        node=name,
        role=me.role if me else "worker",
    )
