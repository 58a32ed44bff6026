"""From a failing check to its cause: the failures students meet on real VMs, told apart by Docker's own words.

Each function reads the evidence a student would read (task errors from
`docker service ps --no-trunc`, `docker service logs`, `docker node inspect`,
`docker network inspect -v` peers, nginx's error log, the page itself) and
returns the CheckFailure that names the cause, the node(s), the evidence and
the fix. See ../shared/swarm-failures.md in the project's history for sources.
"""

import ipaddress
import re
from typing import Optional

from ..lesson import spec
from ..state.nginx import reloaded_with, upstreams
from ..state.pages import Page
from ..state.placement import known_key
from ..state.reads import database_folder
from ..transport.web import FetchFailed
from .results import CheckFailure

BIND = re.compile(r"bind source path does not exist: (\S+)")
IMAGE = re.compile(
    r"No such image: (\S+)|pull access denied for ([^,\s]+)|manifest for (\S+) not found|"
    r"image (\S+) could not be accessed"
)
PORT_BUSY = re.compile(r"address already in use|port is already allocated")
PORT_TAKEN = re.compile(r"host-mode port already in use on (\d+) node")
CONSTRAINTS = re.compile(r"scheduling constraints not satisfied on (\d+) node")
UNAVAILABLE = re.compile(r"not available for new tasks")
UNHEALTHY = "unhealthy container"
ACCESS_DENIED = re.compile(r"Access denied for user", re.I)
LOGS_UNREACHABLE = "some logs could not be retrieved"  # docker service logs, when a task's node does not answer
OWN_ERROR = re.compile(r"\[(emerg|alert|crit|error)\]|\b(error|fatal|panic)\b", re.I)


def task_evidence(service: str, tasks) -> list:
    return [
        f'docker service ps --no-trunc {service}: {host}: {task.state} "{task.error or task.message}"'
        for host, task in tasks
    ]


def log_evidence(service: str, lines, count: int = 3) -> list:
    return [f"docker service logs {service}: {line}" for line in lines[-count:]]


def why_tasks_fail(facts, service: str, generic: str, **params) -> CheckFailure:
    """Why a service is short of tasks, in the order the lesson digs: task errors, then the log of a task that
    exited, then the service's logs."""
    tasks = facts.task_errors(service)
    evidence = task_evidence(service, tasks)
    for host, task in tasks:
        text = task.error or task.message
        found = BIND.search(text)
        if found:
            return CheckFailure("diagnose.bind_source", evidence, service=service, node=host, path=found.group(1))
        found = IMAGE.search(text)
        if found:
            image = next(g for g in found.groups() if g)
            return CheckFailure("diagnose.image_missing", evidence, service=service, node=host, image=image)
        if PORT_BUSY.search(text):
            return port_busy(facts, service, host, evidence)
        found = PORT_TAKEN.search(text)
        if found:
            return port_taken(facts, service, evidence)
        found = CONSTRAINTS.search(text)
        if found:
            return constraint_unmet(facts, service, evidence)
        if UNAVAILABLE.search(text):
            return CheckFailure("diagnose.no_node_available", evidence + node_states(facts), service=service)
        if UNHEALTHY in text:
            return db_unhealthy(facts, evidence)
    if service == spec.DB:
        _, container = latest_container(facts, service)
        if container is not None and container.health not in (None, "healthy"):
            return db_unhealthy(facts, evidence)
    exited = next(((host, task) for host, task in tasks if task.exit_code), None)
    if exited is not None:
        return task_exits(facts, service, *exited, evidence, **params)
    logs = facts.logs(service)
    if any(spec.UPSTREAM_FAILURE in line for line in logs):
        upstream = [line for line in logs if spec.UPSTREAM_FAILURE in line]
        return CheckFailure("stacks.gateway_upstream", evidence + log_evidence(service, upstream, 2), **params)
    return CheckFailure(generic, evidence + log_evidence(service, logs), service=service, **params)


def task_exits(facts, service: str, host: str, task, evidence: list, **params) -> CheckFailure:
    """A task that exits with an error says why in its own output. The service's logs interleave every task's,
    those of tasks long gone included, so their last lines are as often a healthy sibling's notices or an old
    failure (the lesson's edge before core): the evidence quotes that task alone."""
    lines, source = facts.reader.task_logs(task.id), f"docker service logs {task.id}"
    if any(LOGS_UNREACHABLE in line for line in lines) and task.container_id:
        # the manager streams a task's logs from its node's agent, which it may briefly not reach; the
        # container (kept with the task's history) holds the same lines on the node itself
        lines = facts.reader.container_logs(host, task.container_id) or lines
        source = f"docker logs {task.container_id[:12]} on {host}"
    said = [line for line in lines if OWN_ERROR.search(line)] or lines
    quoted = [f"{source}: {line}" for line in said[-3:]]
    if any(spec.UPSTREAM_FAILURE in line for line in said):
        return CheckFailure("stacks.gateway_upstream", evidence + quoted[-2:], **params)
    return CheckFailure(
        "diagnose.task_exits", evidence + quoted, service=service, node=host, code=task.exit_code, task=task.id
    )


def port_busy(facts, service: str, host: str, evidence: list) -> CheckFailure:
    """Port 80 of the node is held by a process that is not the gateway (apache, another nginx, ...)."""
    listeners = []
    try:
        listeners = [line for line in facts.node(host).listeners if re.search(r":80\s", line + " ")]
    except CheckFailure:
        pass
    holder = next(
        (m.group(1) for line in listeners for m in [re.search(r'users:\(\("([^"]+)"', line)] if m), "another program"
    )
    return CheckFailure(
        "diagnose.port_busy",
        evidence + [f"ss -ltnp 'sport = :80' on {host}: {line}" for line in listeners],
        service=service,
        node=host,
        holder=holder,
    )


def port_taken(facts, service: str, evidence: list) -> CheckFailure:
    """Another swarm service publishes the same host-mode port (a stack of the lesson's other part, say)."""
    view = facts.manager()
    others = sorted(
        {s.name for s in view.services if s.name != service for p in s.ports if p.published == 80 and p.mode == "host"}
    )
    return CheckFailure("diagnose.port_taken", evidence, service=service, others=", ".join(others) or "?")


def constraint_unmet(facts, service: str, evidence: list) -> CheckFailure:
    found = facts.manager().service(service)
    constraints = "; ".join(found.constraints) if found else "?"
    labels = [
        f"docker node inspect {n.hostname} --format '{{{{json .Spec.Labels}}}}': {n.labels}"
        for n in facts.manager().nodes
    ]
    unknown = [c for c in (found.constraints if found else ()) if not known_key(c)]
    if unknown:
        return CheckFailure("diagnose.constraint_key", evidence + labels, service=service, constraint=unknown[0])
    return CheckFailure("diagnose.constraint", evidence + labels, service=service, constraints=constraints)


def node_states(facts) -> list:
    return [
        f'docker node inspect {n.hostname}: {n.state} {n.availability} "{n.message}"' for n in facts.manager().nodes
    ]


def latest_container(facts, service: str):
    """(node, container) of the service's most recently started container, running or not, or (None, None)."""
    found = []
    for name in facts.names:
        try:
            found += [
                (c.raw.get("State", {}).get("StartedAt", ""), name, c)
                for c in facts.node(name).containers
                if c.service == service
            ]
        except CheckFailure:
            continue
    if not found:
        return None, None
    _, name, container = max(found, key=lambda item: item[0])
    return name, container


def db_unhealthy(facts, evidence=()) -> CheckFailure:
    """The db runs but its healthcheck fails, or it keeps being restarted for it: its health output and last
    log lines (a container stopped for being unhealthy leaves no task error, only its health log)."""
    evidence = list(evidence)
    host, container = latest_container(facts, spec.DB)
    if container is None:
        return CheckFailure("diagnose.db_not_started", evidence + log_evidence(spec.DB, facts.logs(spec.DB), 4))
    health = container.health or container.state
    if container.health_output:
        evidence.append(f"docker inspect {container.name} on {host} (State.Health): {container.health_output[:200]}")
    evidence += log_evidence(spec.DB, facts.logs(spec.DB), 4)
    return CheckFailure("diagnose.db_unhealthy", evidence, node=host, health=health)


# -- the overlay between nodes ------------------------------------------------------------------


def cut_off(pairs) -> Optional[str]:
    """The node every failing pair involves, if one does: the node that is cut off from the others."""
    counts: dict = {}
    for source, target in pairs:
        for node in {source, target}:
            counts[node] = counts.get(node, 0) + 1
    common = [node for node, count in counts.items() if count == len(pairs)]
    return common[0] if len(common) == 1 else None


def down_nodes(facts) -> Optional[CheckFailure]:
    """A node the manager sees Down (heartbeat failure: 2377 blocked, VM or docker stopped): the swarm gave its
    tasks to other nodes, but what it still runs keeps its names in the overlay's DNS."""
    down = [
        n
        for n in facts.manager().nodes
        if n.state == "down" and n.hostname in facts.names and facts.manager().node_named(n.hostname) is n
    ]
    if not down:
        return None
    node = down[0]
    return CheckFailure(
        "diagnose.node_down",
        [f'docker node inspect {node.hostname}: Status {node.state} "{node.message}" Addr {node.addr}'],
        node=node.hostname,
        message=node.message or "-",
    )


def dns_differs(facts) -> Optional[CheckFailure]:
    """Why a gateway's DNS answer differs from the running tasks, when the cause is the cluster, not the name."""
    return (
        unattached(facts)
        or shared_address(facts)
        or unreachable_address(facts)
        or partition(facts)
        or down_nodes(facts)
    )


def stale_names(facts, node: str, resolved: frozenset, running: frozenset) -> Optional[CheckFailure]:
    """A gateway's `tasks.php-fpm` that differs from the running tasks when nothing in the cluster keeps them
    apart (dns_differs found no cause): the engine's name records went stale, seen after a stack deployed again
    on one node. The node's own NetworkDB listing is the evidence of which layer holds what."""
    held = facts.reader.listed_tasks(node)
    if held is None:
        return None
    return CheckFailure(
        "diagnose.stale_names",
        [
            f"getent ahostsv4 tasks.{spec.FOCUS.upstream_name} in the gateway on {node}: {listed(resolved)}",
            f"docker network inspect -v {spec.NETWORK} on {node}: {spec.PHP_FPM} Tasks {listed(held)}",
        ],
        node=node,
        service=spec.PHP_FPM,
        resolved=len(resolved),
        running=len(running),
        listed=len(held & running),
    )


def listed(addresses) -> str:
    """Addresses as the checks' messages and evidence show them."""
    return ", ".join(sorted(addresses)) or "nothing"


def unattached(facts) -> Optional[CheckFailure]:
    """php-fpm's task without its overlay address (Reader.unattached): DNS and pings miss it, which would
    otherwise read as the overlay failing between the nodes."""
    found = facts.reader.unattached()
    if not found:
        return None
    host, task, container, address = found[0]
    named = spec.NETWORK in container.addresses
    return CheckFailure(
        "diagnose.unattached",
        [
            f"docker inspect --type task {task.id}: {spec.NETWORK} {address}",
            f"docker inspect {container.name} on {host}: "
            + (f'{spec.NETWORK} IPAddress ""' if named else f"no {spec.NETWORK} among its networks"),
        ],
        service=spec.PHP_FPM,
        task=container.name,
        node=host,
        address=address,
    )


def partition(facts) -> Optional[CheckFailure]:
    """A node the others' NetworkDB has lost (gossip on 7946 blocked): its peers lists disagree."""
    view = facts.manager()
    addresses = {n.hostname: n.addr for n in view.nodes if n.ready}
    evidence, lacking = [], []
    for name in facts.names:
        try:
            network = facts.node(name).network(spec.NETWORK)
        except CheckFailure:
            continue
        if network is None:
            continue
        known = set(network.peers)
        evidence.append(f"docker network inspect -v {spec.NETWORK} on {name}: Peers {sorted(known)}")
        lacking += [(name, host) for host, addr in addresses.items() if addr not in known and host != name]
    if not lacking:
        return None
    node = cut_off(lacking) or lacking[0][1]
    where = sorted({a if b == node else b for a, b in lacking if node in (a, b)})
    return CheckFailure("diagnose.gossip", evidence, node=node, others=", ".join(where))


def why_no_cross_traffic(facts, failed: list) -> CheckFailure:
    """`failed`: (from node, to node, Ping). Peers missing on a node (gossip, 7946) vs peers known but packets
    lost (VXLAN, 4789) vs small packets crossing and large ones lost (MTU)."""
    lost = unattached(facts) or shared_address(facts) or unreachable_address(facts) or partition(facts)
    if lost is not None:
        return lost
    pairs = [(a, b) for a, b, _ in failed]
    small_lost = [(a, b) for a, b, ping in failed if not ping.small]
    if small_lost:
        node = cut_off(small_lost)
        pings = [f"ping from the gateway on {a} to php-fpm on {b} ({p.target}): no reply" for a, b, p in failed]
        return CheckFailure(
            "diagnose.vxlan" if node else "diagnose.vxlan_pairs",
            pings,
            node=node or "",
            pairs=", ".join(f"{a} → {b}" for a, b in small_lost),
        )
    return mtu(facts, pairs, failed)


def mtu(facts, pairs, failed) -> CheckFailure:
    node = cut_off(pairs) or pairs[0][0]
    overlay = facts.manager().network(spec.NETWORK)
    evidence = [
        f"ping -s 1400 from the gateway on {a} to {b} ({p.target}): no reply; ping -s 56: reply" for a, b, p in failed
    ]
    for name in facts.names:
        try:
            links = facts.node(name).mtu
        except CheckFailure:
            continue
        shown = ", ".join(f"{i} {m}" for i, m in sorted(links.items()) if i.startswith(("eth", "ens", "enp")))
        if shown:
            evidence.append(f"ip -o link on {name}: mtu {shown}")
    return CheckFailure("diagnose.mtu", evidence, node=node, overlay=(overlay.mtu if overlay and overlay.mtu else 1450))


# -- pages ---------------------------------------------------------------------------------------


def why_page_fails(facts, node: str, page, address: str) -> CheckFailure:
    """What a browser on this machine would show for http://node/, and why."""
    mesh = ingress_without_ipvs(facts, node)
    if mesh is not None and isinstance(page, FetchFailed):
        return mesh
    hung = (
        isinstance(page, FetchFailed)
        and page.kind == "slow-answer"
        or isinstance(page, Page)
        and page.status in (502, 504)
    )
    if hung:
        vip = no_ipvs(facts, node)
        if vip is not None:
            return vip
    if isinstance(page, FetchFailed):
        if page.kind == "slow-answer":
            stale = stale_upstream(facts, node)
            if stale is not None:
                return stale
        return CheckFailure(f"pages.{page.kind}", [], node=node, address=address)
    if page.status in (502, 504):
        stale = stale_upstream(facts, node)
        return stale or CheckFailure("pages.bad_gateway", gateway_log(facts, node), node=node, status=page.status)
    if ACCESS_DENIED.search(page.text):
        return db_password(facts, node, page)
    if page.status == 503:
        return CheckFailure("pages.db_down", [], node=node, status=page.status, text=page.text[:160])
    if page.status != 200:
        return CheckFailure("pages.status", [], node=node, status=page.status, text=page.text[:160])
    return no_posts(facts, node, address)


def ingress_without_ipvs(facts, node: str) -> Optional[CheckFailure]:
    """Port 80 published through the routing mesh (mode: ingress) needs IPVS on the node, as VIPs do."""
    try:
        gateway = facts.service(spec.GATEWAY)
        info = facts.node(node).info
    except CheckFailure:
        return None
    if info.ipvs or not any(p.published == 80 and p.mode == "ingress" for p in gateway.ports):
        return None
    return CheckFailure(
        "diagnose.ingress_no_ipvs",
        [
            f"docker service inspect {spec.GATEWAY}: " + ", ".join(str(p) for p in gateway.ports),
            f"{node}: no IPVS in the kernel",
        ],
        node=node,
    )


def no_ipvs(facts, node: str) -> Optional[CheckFailure]:
    """A VIP carries nothing on a kernel without IPVS (20.10 still resolves it, newer engines do not)."""
    try:
        php = facts.service(spec.PHP_FPM)
        info = facts.node(node).info
    except CheckFailure:
        return None
    if php.endpoint_mode != "vip" or info.ipvs:
        return None
    return CheckFailure(
        "diagnose.no_ipvs",
        [
            f"docker inspect service {spec.PHP_FPM}: Endpoint.Spec.Mode vip, VirtualIPs {sorted(php.vips.values())}",
            f"{node}: no IPVS in the kernel (/proc/net/ip_vs missing, no ip_vs module)",
        ]
        + gateway_log(facts, node),
        node=node,
    )


def gateway_log(facts, node: str) -> list:
    try:
        container = facts.gateway_on(node)
    except CheckFailure:
        return []
    lines = facts.reader.container_logs(node, container.id, tail=30)
    return [f"docker logs {container.name} on {node}: {line}" for line in lines if "[error]" in line][-3:]


def stale_upstream(facts, node: str) -> Optional[CheckFailure]:
    """nginx resolved php-fpm once, at start, and keeps addresses that no task holds any more."""
    try:
        container = facts.gateway_on(node)
        live = set(facts.task_addresses(spec.PHP_FPM))
    except CheckFailure:
        return None
    lines = facts.reader.container_logs(node, container.id, tail=30)
    tried = upstreams(lines)
    held = tried or held_since_start(facts, container, lines)
    dead = sorted(held - live)
    if not dead:
        return None
    if tried:
        evidence = [
            f"docker logs {container.name} on {node}: {line}" for line in lines if any(ip in line for ip in dead)
        ][-2:]
    else:
        evidence = [
            f"docker inspect {container.name} on {node}: started {container.started_at:%Y-%m-%d %H:%M:%S} "
            f"UTC; php-fpm's tasks then: {', '.join(sorted(held))}"
        ]
    return CheckFailure(
        "diagnose.stale_upstream",
        evidence + [f"running php-fpm tasks: {', '.join(sorted(live))}"],
        node=node,
        dead=", ".join(dead),
    )


def held_since_start(facts, container, lines) -> set:
    """php-fpm's addresses when this nginx resolved them: at its start (the lesson's nginx), or at the lab's
    gateway's last reload. A connection to a vanished address can hang in silence until nginx's 60 s connect
    timeout, long after a browser gave up, so the log alone may not name them yet."""
    reloaded = reloaded_with(lines)
    if reloaded is not None:
        return reloaded
    if container.started_at is None:
        return set()
    overlay, view = facts.overlay(), facts.manager()
    return {
        t.addresses[overlay.id]
        for t in view.tasks_of(facts.service(spec.PHP_FPM), running_only=False)
        if overlay.id in t.addresses and t.alive_at(container.started_at)
    }


def db_password(facts, node: str, page: Page) -> CheckFailure:
    """mysqladmin ping is healthy on `Access denied` too: a volume initialised with another password."""
    line = next((part for part in page.text.split(". ") if ACCESS_DENIED.search(part)), page.text[:160])
    return CheckFailure("diagnose.db_password", [f"http://{node}/: {line[:200]}"], node=node)


def no_posts(facts, node: str, address: str) -> CheckFailure:
    """200 and an empty table: not seeded yet, or the db moved to a node whose volume is new and empty."""
    try:
        db_host, _ = facts.db_container()
    except CheckFailure:
        db_host = None
    holders = []
    for name in facts.names:
        try:
            if facts.node(name).volume(spec.DB_VOLUME) is not None:
                holders.append(name)
        except CheckFailure:
            continue
    elsewhere = [h for h in holders if h != db_host]
    if db_host and elsewhere:
        folder = database_folder(spec.DATABASE)
        tables = {h: facts.reader.volume_files(h, spec.DB_VOLUME, folder) for h in holders}
        posts = [h for h, files in tables.items() if any(f.startswith(spec.POSTS + ".") for f in files)]
        evidence = [
            f"docker volume ls on {h}: {spec.DB_VOLUME}; its {spec.DATABASE}: {' '.join(tables[h]) or '-'}"
            for h in holders
        ]
        return CheckFailure(
            "diagnose.db_moved",
            evidence,
            node=node,
            db=db_host,
            others=", ".join(elsewhere),
            posts=", ".join(posts) or ", ".join(elsewhere),
        )
    return CheckFailure("pages.no_posts", [], node=node, address=address)


def no_docker(facts, node: str, info) -> CheckFailure:
    """Docker does not answer on a node: not installed or not running, or the SSH user may not use it."""
    if "permission denied" in (info.error or "").lower():
        user = facts.inventory.node(node).user or "the SSH user"
        return CheckFailure("init.docker_denied", node=node, user=user, reason=info.error[:160])
    return CheckFailure("init.no_docker", node=node, reason=info.error)


# -- the failures of today's engines and of cloned or NAT'ed VMs -----------------------------------------


def readable(facts):
    """(name, NodeView) of every node whose state could be read: a diagnosis names what it can see."""
    for name in facts.names:
        try:
            yield name, facts.node(name)
        except CheckFailure:
            continue


SKEW = 60.0  # seconds apart at which the swarm's certificates (valid from their issue) start to look wrong


def cloned(facts, hostname: str) -> Optional[CheckFailure]:
    """Two Ready nodes with one hostname: VMs cloned from one image keep it (swarmkit#1075)."""
    alike = [n for n in facts.manager().nodes if n.hostname == hostname and n.ready]
    if len(alike) < 2:
        return None
    evidence = [f"docker node ls: {n.id} {n.hostname} Ready, Addr {n.addr}" for n in alike]
    return CheckFailure(
        "diagnose.cloned",
        evidence,
        node=hostname,
        ids=" ".join(n.id for n in alike),
        addresses=", ".join(n.addr for n in alike),
    )


def shared_address(facts) -> Optional[CheckFailure]:
    """Nodes advertising one address (every VirtualBox/Vagrant VM's NAT card is 10.0.2.15): their VXLAN and gossip
    go to themselves."""
    by_address: dict = {}
    for node in facts.manager().nodes:
        if node.ready and node.addr:
            by_address.setdefault(node.addr, []).append(node.hostname)
    shared = {addr: names for addr, names in by_address.items() if len(names) > 1}
    if not shared:
        return None
    addr, names = next(iter(sorted(shared.items())))
    evidence = [f"docker node inspect {name} --format '{{{{.Status.Addr}}}}': {addr}" for name in names]
    return CheckFailure("diagnose.shared_address", evidence, address=addr, nodes=", ".join(names))


def unreachable_address(facts) -> Optional[CheckFailure]:
    """A node advertising an address the other nodes cannot reach (the wrong card of a VM with two, a NAT address)."""
    lost: dict = {}
    for name in facts.names:
        probe = facts.reader.probes().get(name)
        if probe is None or isinstance(probe, Exception):
            continue
        for ping in probe.underlay:
            if not ping.small:
                lost.setdefault(ping.target, []).append(name)
    view = facts.manager()
    owners = {n.addr: n.hostname for n in view.nodes if n.ready}
    cut = sorted((addr, sources) for addr, sources in lost.items() if len(sources) >= max(1, len(facts.names) - 1))
    if not cut:
        return None
    addr, sources = cut[0]
    node = owners.get(addr, addr)
    return CheckFailure(
        "diagnose.advertise_unreachable",
        [f"ping from {source} to {node}'s Status.Addr {addr}: no reply" for source in sources]
        + interface_evidence(facts, node),
        node=node,
        address=addr,
    )


def interface_evidence(facts, name: str) -> list:
    try:
        interfaces = facts.node(name).interfaces
    except CheckFailure:
        return []
    shown = [f"{i.name} {', '.join(str(a) for a in i.addresses)}" for i in interfaces if i.addresses and not i.loopback]
    return [f"ip addr on {name}: {'; '.join(shown)}"] if shown else []


def two_cards(facts, name: str) -> Optional[CheckFailure]:
    """`docker swarm init` on a VM with addresses on two cards cannot choose which to advertise (moby#25279)."""
    try:
        interfaces = facts.node(name).interfaces
    except CheckFailure:
        return None
    cards = [
        i
        for i in interfaces
        if i.up and not i.loopback and i.addresses and not i.name.startswith(("docker", "br-", "veth", "vxlan", "ov-"))
    ]
    if len(cards) < 2:
        return None
    shown = ", ".join(f"{i.name} {i.addresses[0].ip}" for i in cards)
    return CheckFailure(
        "diagnose.two_cards",
        interface_evidence(facts, name),
        node=name,
        cards=shown,
        address=str(cards[0].addresses[0].ip),
    )


def clocks_apart(facts) -> Optional[CheckFailure]:
    """Nodes whose clocks differ by more than a minute: the swarm's certificates look expired or not yet valid on
    one of them (`x509: certificate has expired or is not yet valid`, moby#25112)."""
    offsets = {name: view.clock_offset for name, view in readable(facts) if view.clock_offset is not None}
    if len(offsets) < 2:
        return None
    reference = facts.manager_name if facts.manager_name in offsets else min(offsets)
    apart = {
        name: offset - offsets[reference] for name, offset in offsets.items() if abs(offset - offsets[reference]) > SKEW
    }
    if not apart:
        return None
    name, seconds = max(apart.items(), key=lambda item: abs(item[1]))
    evidence = [
        f"date -u on {n}: {'+' if o >= 0 else ''}{o - offsets[reference]:.0f} s from {reference}"
        for n, o in sorted(offsets.items())
    ]
    return CheckFailure(
        "diagnose.clock",
        evidence,
        node=name,
        reference=reference,
        apart=f"{abs(seconds):.0f}",
    )


def overlapping(facts, network) -> Optional[CheckFailure]:
    """The overlay's subnet holds addresses of a node itself (its own network, or a route of it): its tasks and the
    hosts there cannot be told apart (moby#50011)."""
    subnets = []
    for text in network.subnets:
        try:
            subnets.append(ipaddress.IPv4Network(text, strict=False))
        except ValueError:
            continue
    for name, view in readable(facts):
        for interface in view.interfaces:
            if interface.loopback or interface.name.startswith(("docker", "br-", "veth", "vxlan", "ov-", "lo")):
                continue
            for address in interface.addresses:
                for subnet in subnets:
                    if address.network.overlaps(subnet):
                        return CheckFailure(
                            "diagnose.overlap",
                            [
                                f"docker network inspect {spec.NETWORK}: IPAM.Config {subnet}",
                                f"ip addr on {name}: {interface.name} {address}",
                            ],
                            network=str(subnet),
                            node=name,
                            address=str(address),
                        )
        for route in view.routes:
            if (
                route.network is not None
                and not route.device.startswith(("docker", "br-", "veth", "vxlan", "ov-"))
                and any(route.network.overlaps(subnet) for subnet in subnets)
            ):
                return CheckFailure(
                    "diagnose.overlap",
                    [
                        f"docker network inspect {spec.NETWORK}: IPAM.Config {', '.join(map(str, subnets))}",
                        f"ip route on {name}: {route.destination} dev {route.device}",
                    ],
                    network=", ".join(map(str, subnets)),
                    node=name,
                    address=route.destination,
                )
    return None


def api_too_old(facts, service: str) -> Optional[CheckFailure]:
    """The panel or its agent speaks an API older than the engine accepts: Docker 29 refuses clients below 1.44,
    and the lesson's Portainer 2.17 speaks 1.41 (portainer#12934)."""
    floors = {
        name: view.version for name, view in readable(facts) if api_tuple(view.version.min_api) > OLDEST_LESSON_API
    }
    if not floors:
        return None
    lines = [line for line in facts.logs(service, 40) if "is too old" in line and "API version" in line]
    if not lines:
        return None
    node, version = next(iter(floors.items()))
    found = re.search(r"client version ([\d.]+) is too old", lines[-1])
    return CheckFailure(
        "diagnose.api_too_old",
        log_evidence(service, lines, 2)
        + [f"docker version on {n}: engine {v.engine}, MinAPIVersion {v.min_api}" for n, v in floors.items()],
        service=service,
        client=found.group(1) if found else "?",
        node=node,
        engine=version.engine,
        floor=version.min_api,
    )


OLDEST_LESSON_API = (1, 41)  # what the lesson's portainer/agent:2.17.1 speaks


def api_tuple(text: str) -> tuple:
    return tuple(int(part) for part in text.split(".") if part.isdigit()) if text else ()


def nftables(facts, name: str) -> Optional[CheckFailure]:
    """The engine's nftables firewall backend, which swarm mode cannot use (Docker 29)."""
    try:
        info = facts.node(name).info
    except CheckFailure:
        return None
    if info.firewall_backend != "nftables":
        return None
    return CheckFailure("diagnose.nftables", [f"docker info on {name}: Firewall Backend: nftables"], node=name)
