"""The lesson's questions: the observations a student makes on their own cluster, each right on one cluster only.

The IDs differ from swarm to swarm, and the overlay's addresses mostly do, so an answer copied from another cluster
is wrong here (and the grader names whose cluster it is right for). Where a value can change under the student
(the db moved, php-fpm's tasks replaced) the question says `changes="history"`: any value the read's task history
still holds is right, so answering before a reschedule costs nothing; the others are fixed while the swarm lives.
Node names are the lesson's own on every cluster (manager, worker-1, worker-2): a question whose answer is a node
name tells understanding from guessing, not one cluster from another.
"""

from itertools import combinations

from swarmlab.checking.questions import Truth, address, question, values
from swarmlab.lesson.spec import DB, GATEWAY, NETWORK, PHP_FPM

LB_PREFIX = "lb-"  # `docker network inspect` lists a node's load-balancer endpoint under lb-<network>
SUBSETS_UP_TO = 8  # nodes: beyond, a partial set of nodes is judged wrong rather than enumerated as a near miss


def endpoints(facts) -> dict:
    """{address: node} of every node's own load-balancer endpoint in lemp-overlay (lemp-overlay-endpoint)."""
    found = {}
    for name in facts.names:
        if facts.node_error(name) is None:
            network = facts.node(name).network(NETWORK)
            for key, ip in (network.containers if network else {}).items():
                if key.startswith(LB_PREFIX) and ip:
                    found[ip] = name
    return found


def task_addresses(facts, service_name: str, running_only: bool = True) -> dict:
    """{lemp-overlay address: (task name, node)} of a service's tasks, or of every task the read's history keeps."""
    view, overlay = facts.manager(), facts.overlay()
    service = view.service(service_name)
    if service is None:
        return {}
    return {
        task.addresses[overlay.id]: (f"{service_name}.{task.slot or task.node_id[:12]}", view.hostname_of(task))
        for task in view.tasks_of(service, running_only)
        if task.addresses.get(overlay.id)
    }


@question("manager_id", {1: "init", 2: "init"}, points=2, unique=True)
def manager_id(facts):
    view = facts.manager()
    me = view.me
    if me is None:
        return Truth()
    wrong = {
        n.id.lower(): ("question.manager_id.other_node", {"node": n.hostname}) for n in view.nodes if n.id != me.id
    }
    wrong[me.hostname.lower()] = ("question.manager_id.hostname", {})
    if view.info.cluster_id:
        wrong[view.info.cluster_id.lower()] = ("question.manager_id.cluster", {})
    near = {me.id[:n].lower(): ("question.manager_id.prefix", {}) for n in range(6, len(me.id))}
    return Truth(right=frozenset({me.id.lower()}), near=near, wrong=wrong)


@question("db_node", {1: "stacks", 2: "placement"}, points=2, changes="history")
def db_node(facts):
    view = facts.manager()
    running = facts.running(DB)
    db = facts.service(DB)
    earlier = {view.hostname_of(t) for t in view.tasks_of(db, running_only=False) if t.container_id} - set(running)
    near = {}
    for host in running:
        node = view.node_named(host)
        if node is not None:
            near[node.id.lower()] = ("question.db_node.id", {})
        if host in facts.names and facts.node_error(host) is None:
            near.update({c.hostname.lower(): ("question.db_node.hostname", {}) for c in facts.node(host).running(DB)})
    wrong = {n.hostname.lower(): ("question.db_node.other", {}) for n in view.nodes if n.hostname not in running}
    return Truth(
        right=frozenset(h.lower() for h in running),
        moved=frozenset(h.lower() for h in earlier),
        near=near,
        wrong=wrong,
    )


@question("vip", {1: "vip", 2: "vip"}, points=3, canonical=address, unique=True)
def vip(facts):
    php, overlay = facts.service(PHP_FPM), facts.overlay()
    if php.endpoint_mode != "vip":
        return Truth(inapplicable="question.vip.dnsrr")
    wrong = {ip: ("question.vip.endpoint", {"node": node}) for ip, node in endpoints(facts).items()}
    for service_name in (GATEWAY, DB):
        other = facts.manager().service(service_name)
        if other is not None and other.vips.get(overlay.id):
            wrong[other.vips[overlay.id]] = ("question.vip.other_vip", {"service": service_name})
        for ip, (_, node) in task_addresses(facts, service_name, running_only=False).items():
            wrong[ip] = ("question.vip.other_task", {"service": service_name, "node": node})
    for ip, (task, node) in task_addresses(facts, PHP_FPM, running_only=False).items():
        wrong[ip] = ("question.vip.task", {"task": task, "node": node})
    found = php.vips.get(overlay.id)
    return Truth(right=frozenset({found} if found else ()), wrong=wrong)


@question("ping_php_fpm", {1: "vip", 2: "vip"}, points=2, changes="history", canonical=address, unique=True)
def ping_php_fpm(facts):
    php, overlay = facts.service(PHP_FPM), facts.overlay()
    wrong = {ip: ("question.ping_php_fpm.endpoint", {"node": node}) for ip, node in endpoints(facts).items()}
    running = task_addresses(facts, PHP_FPM)
    if php.endpoint_mode == "vip":
        for ip, (_, node) in task_addresses(facts, PHP_FPM, running_only=False).items():
            wrong[ip] = ("question.ping_php_fpm.task", {"node": node})
        found = php.vips.get(overlay.id)
        return Truth(right=frozenset({found} if found else ()), wrong=wrong)
    facts.running(PHP_FPM)
    earlier = {ip for ip in task_addresses(facts, PHP_FPM, running_only=False) if ip not in running}
    return Truth(right=frozenset(running), moved=frozenset(earlier), wrong=wrong)


@question("container_ip", {1: "vip", 2: "vip"}, points=2, changes="history", canonical=address, unique=True)
def container_ip(facts):
    view, here = facts.manager(), facts.manager_name
    network = facts.node(here).network(NETWORK)
    if network is None:
        facts.overlay()
        return Truth()
    right = {ip for key, ip in network.containers.items() if ip and not key.startswith(LB_PREFIX)}
    wrong = {ip: ("question.container_ip.endpoint", {"node": node}) for ip, node in endpoints(facts).items()}
    near = {}
    for name in facts.names:
        elsewhere = facts.node(name).network(NETWORK) if name != here and facts.node_error(name) is None else None
        for key, ip in (elsewhere.containers if elsewhere else {}).items():
            if ip and not key.startswith(LB_PREFIX) and ip not in right:
                near[ip] = ("question.container_ip.elsewhere", {"node": name})
    network_id = facts.overlay().id
    php = view.service(PHP_FPM)
    if php is not None and network_id in php.vips:
        wrong[php.vips[network_id]] = ("question.container_ip.vip", {})
    me_id = view.info.node_id
    earlier = {
        task.addresses[network_id]
        for task in view.tasks
        if task.node_id == me_id and task.addresses.get(network_id) and task.addresses[network_id] not in right
    }
    return Truth(right=frozenset(right), moved=frozenset(earlier), near=near, wrong=wrong)


@question("php_fpm_hostnames", {1: "pages", 2: "pages"}, points=2, canonical=values)
def php_fpm_hostnames(facts):
    running = facts.running(PHP_FPM)
    hostnames, gateways, wrong = set(), set(), {}
    for name in facts.names:
        if facts.node_error(name) is None:
            hostnames |= {c.hostname.lower() for c in facts.node(name).running(PHP_FPM) if c.hostname}
            gateways |= {c.hostname.lower() for c in facts.node(name).running(GATEWAY) if c.hostname}
    wrong.update({h: ("question.php_fpm_hostnames.gateway", {}) for h in gateways})
    wrong.update({n.lower(): ("question.php_fpm_hostnames.node", {}) for n in facts.names})
    return Truth("subset", frozenset(hostnames), wrong=wrong, at_least=2 if len(running) > 1 else 1)


def where_it_runs(facts, service_name: str) -> Truth:
    """Exactly the nodes the service's tasks run on; some of them only is a near miss."""
    running = sorted(n.lower() for n in facts.running(service_name))
    near = {}
    if len(running) <= SUBSETS_UP_TO:
        for size in range(1, len(running)):
            near.update({",".join(s): ("question.nodes.some", {}) for s in combinations(running, size)})
    return Truth(right=frozenset({",".join(running)}), near=near)


@question("gateway_nodes", {2: "placement"}, points=2, canonical=values)
def gateway_nodes(facts):
    return where_it_runs(facts, GATEWAY)


@question("php_fpm_nodes", {2: "placement"}, points=2, canonical=values)
def php_fpm_nodes(facts):
    return where_it_runs(facts, PHP_FPM)
