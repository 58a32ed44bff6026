"""The lesson's steps, as a table: each has a name, what it needs, what it does.

Every step is idempotent and convergent: it reads the cluster, does only what
is missing or has drifted from the lesson, and says what it changed. A step
whose prerequisite is missing refuses with the step (or command) that fixes it.
Each step's `apply(ctx, result, options)` works on a Context (context.py): the
cluster, the part, the write side and the reads it needs.
"""

import hashlib
import os
import posixpath
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from .. import ui
from ..errors import StepFailed
from ..state.pages import parse as parse_page
from ..state.views import NodeView
from ..transport.web import FetchFailed
from ..waiting import until
from .commands import Ran
from .context import Context, Options
from .spec import DB, DB_VOLUME, GATEWAY, LESSON_DIR, LESSON_LABELS, NETWORK, PART1, PART2, PHP_FPM

PARTS = (PART1, PART2)


@dataclass
class StepResult:
    step: str
    changed: bool = False
    summary: str = ""
    ran: list = field(default_factory=list)
    notes: list = field(default_factory=list)


@dataclass(frozen=True)
class Step:
    name: str
    needs: str  # what must hold before, in words (the refusal names the step that makes it hold)
    apply: Callable[[Context, StepResult, Options], None]
    parts: tuple = (1, 2)


def require_manager(ctx: Context, step: str) -> None:
    info = ctx.info(ctx.manager)
    if info.engine is None:
        raise StepFailed(
            f"{step}: docker does not answer on {ctx.manager} ({info.error}): install Docker Engine "
            f"there as the lesson says"
        )
    if info.swarm == "active" and not info.is_manager:
        said = ctx.cluster.run(ctx.manager, "docker node ls")
        words = (said.stderr.strip() or said.stdout.strip()).splitlines()[-1:] or ["-"]
        raise StepFailed(
            f"{step}: {ctx.manager} is a worker of its swarm, not its manager (Docker: "
            f"{words[0].removeprefix('Error response from daemon: ')}): the lesson runs this on the "
            f"manager; give role: manager in the inventory to the node where `docker swarm init` ran"
        )
    if info.swarm != "active":
        raise StepFailed(f"{step}: {ctx.manager} is not a swarm manager yet: run step init first")


# -- init, join ---------------------------------------------------------------------------


def init(ctx: Context, result: StepResult, options: Options) -> None:
    info = ctx.info(ctx.manager)
    if info.engine is None:
        raise StepFailed(
            f"init: docker does not answer on {ctx.manager} ({info.error}): install Docker Engine "
            f"there as the lesson says"
        )
    if info.swarm == "active":
        require_manager(ctx, "init")
        result.summary = f"{ctx.manager} already manages a swarm"
        return
    address = cluster_address(ctx, ctx.manager)
    ctx.admin.swarm_init(address)
    result.changed, result.summary = True, f"swarm initialised on {ctx.manager}, advertising {address}"


def cluster_address(ctx: Context, node: str) -> str:
    """The node's own address for swarm traffic: the inventory's if the node has it, else its default route's."""
    wanted = ctx.cluster.address(node)
    script = (
        "ip -o -4 addr show | awk '{print $4}' | cut -d/ -f1; echo @@; "
        "ip -o -4 route show default | awk '{print $5; exit}' | xargs -r -I{} ip -o -4 addr show dev {} "
        "| awk '{print $4; exit}' | cut -d/ -f1"
    )
    own, _, default = ctx.admin.run(node, script).stdout.partition("@@")
    if wanted in own.split():
        return wanted
    if default.strip():
        return default.strip()
    raise StepFailed(
        f"init: cannot tell which address {node} uses for the cluster: set its address in the "
        f"inventory to the node's private IP"
    )


def join(ctx: Context, result: StepResult, options: Options) -> None:
    require_manager(ctx, "join")
    manager_info = ctx.info(ctx.manager)
    view = ctx.manager_view()
    joined, removed = [], []
    for worker in ctx.inventory.workers:
        info = ctx.info(worker.name)
        member = view.node_named(worker.name)
        if info.swarm == "active" and member is not None and member.ready:
            continue
        if info.swarm == "active" and info.node_id and info.node_id not in {n.id for n in view.nodes}:
            raise StepFailed(f"join: {worker.name} is in another swarm: run `docker swarm leave --force` on it")
        if info.swarm == "active":
            continue  # joined, not yet Ready: the wait below covers it
        ctx.admin.join(worker.name, manager_info.manager_addr)
        joined.append(worker.name)
    if joined:
        view = ctx.wait_ready(joined)
    for node in view.nodes:  # a worker that left and joined again leaves its old entry Down
        if not node.ready and node.hostname in ctx.inventory.names and view.node_named(node.hostname).ready:
            ctx.admin.node_rm(node.id)
            removed.append(f"{node.hostname} ({node.id})")
    drained = [n.hostname for n in view.nodes if n.ready and n.availability != "active"]
    for hostname in drained:
        ctx.admin.node_update(hostname, availability="active")
    result.changed = bool(joined or removed or drained)
    parts = (
        ([f"joined {', '.join(joined)}"] if joined else [])
        + ([f"removed stale entries {', '.join(removed)}"] if removed else [])
        + ([f"made {', '.join(drained)} active again"] if drained else [])
    )
    result.summary = "; ".join(parts) or "every worker is in the swarm, Ready and Active"


# -- network, sync, labels ------------------------------------------------------------------


def network(ctx: Context, result: StepResult, options: Options) -> None:
    require_manager(ctx, "network")
    existing = ctx.manager_view().network(NETWORK)
    if existing is not None:
        if existing.driver != "overlay":
            raise StepFailed(
                f"network: {NETWORK} exists with driver {existing.driver}: remove it "
                f"(docker network rm {NETWORK}) and run again"
            )
        result.summary = f"{NETWORK} already exists"
        return
    ctx.admin.network_create(NETWORK)
    result.changed, result.summary = True, f"overlay network {NETWORK} created"


def local_level6(level6: Path) -> dict:
    """{relative path: sha256} of a level6 folder, as the nodes' copies are compared. Linked folders (lemp2
    shares lemp1's config and app) are followed: every node gets them as plain files."""
    if not (level6 / "lemp1" / "compose").is_dir():
        raise StepFailed(f"sync: {level6} does not hold the lesson's files (lemp1/compose is missing)")
    found = {}
    for folder, _, files in os.walk(level6, followlinks=True):
        for name in files:
            path = Path(folder) / name
            found[str(path.relative_to(level6))] = hashlib.sha256(path.read_bytes()).hexdigest()
    return dict(sorted(found.items()))


def sync(ctx: Context, result: StepResult, options: Options) -> None:
    local = local_level6(ctx.level6)
    changed = []
    for name, view in ctx.node_views().items():
        if isinstance(view, Exception):
            raise StepFailed(f"sync: {view}")
        upload = sorted(p for p, digest in local.items() if view.level6.get(p) != digest)
        delete = sorted(set(view.level6) - set(local))
        if upload or delete:
            push(ctx, name, upload, delete)
            changed.append(f"{name} ({len(upload)} copied, {len(delete)} removed)")
    result.changed = bool(changed)
    result.summary = f"level6 updated on {', '.join(changed)}" if changed else "level6 already up to date everywhere"


def push(ctx: Context, node: str, upload: list, delete: list) -> None:
    """SFTP into a staging folder of the SSH user, then one (sudo-able) copy into place."""
    stage = "/tmp/swarmlab-sync-" + hashlib.sha256("\0".join(upload + delete).encode()).hexdigest()[:8]
    target = ctx.cluster.node(node)
    for rel in upload:
        target.put(ctx.level6 / rel, posixpath.join(stage, rel))
    command = "mkdir -p %s" + (" && cp -r --preserve=mode %s/. %s/ && rm -rf %s" if upload else "")
    args = [LESSON_DIR] + ([stage, LESSON_DIR, stage] if upload else [])
    if delete:
        command += " && rm -f" + " %s" * len(delete)
        args += [f"{LESSON_DIR}/{rel}" for rel in delete]
    ctx.admin.run(node, command, *args)


def labels(ctx: Context, result: StepResult, options: Options) -> None:
    """Part 2: exactly the lesson's labels on the lesson's nodes (a lesson label elsewhere is removed)."""
    require_manager(ctx, "labels")
    view = ctx.manager_view()
    done = []
    for name in ctx.inventory.names:
        node = view.node_named(name)
        if node is None:
            raise StepFailed(f"labels: {name} is not in the swarm: run step join first")
        wanted = ctx.part.labels_for(ctx.inventory.names)[name]
        add = {k: v for k, v in wanted.items() if node.labels.get(k) != v}
        remove = [k for k in LESSON_LABELS if k in node.labels and k not in wanted]
        if add or remove:
            ctx.admin.node_update(name, add=add, remove=remove)
            done.append(name)
    result.changed = bool(done)
    result.summary = f"labels set on {', '.join(done)}" if done else "every node carries the lesson's labels"


# -- deploy, seed_data ------------------------------------------------------------------------


def deploy(ctx: Context, result: StepResult, options: Options) -> None:
    require_manager(ctx, "deploy")
    view = ctx.manager_view()
    if view.network(NETWORK) is None:
        raise StepFailed(f"deploy: the overlay network {NETWORK} is missing: run step network first")
    compose = f"{ctx.part.folder}/compose/edge.yaml"
    missing = [n for n, v in ctx.node_views().items() if not isinstance(v, NodeView) or compose not in v.level6]
    if missing:
        raise StepFailed(f"deploy: level6 is missing on {', '.join(missing)}: run step sync first")
    order = list(ctx.part.stacks)
    stacks, lesson_order = options.stacks, options.lesson_order
    unknown = set(stacks) - set(order) - {"all"}
    if unknown:
        raise StepFailed(f"deploy: unknown stack {', '.join(sorted(unknown))}: use {', '.join(order)} or all")
    if lesson_order:
        order = ["edge", "core"] + [s for s in order if s not in ("edge", "core")]
    else:
        order = ["storage", "core"] + [s for s in order if s not in ("storage", "core")]
    chosen = order if "all" in stacks else [s for s in order if s in stacks]
    before = set(view.stacks)
    env = ctx.deploy_env()
    for stack in chosen:
        if stack == "edge" and "core" in chosen and not lesson_order:
            ctx.wait_running(PHP_FPM)  # nginx fails at start while php-fpm does not resolve yet
        ctx.admin.stack_deploy(stack, ctx.part.compose, env)
        if lesson_order and stack == "edge" and "core" not in before:
            result.notes.append(ctx.gateway_failure())
        if lesson_order and stack == "core" and "edge" in before | set(chosen) and "core" not in before:
            ctx.wait_running(GATEWAY)
            result.notes.append("edge_gateway recovered by itself once php-fpm resolved")
    new = [s for s in chosen if s not in before]
    result.changed = bool(new)
    result.summary = f"deployed {', '.join(new)}" if new else f"{', '.join(chosen)} already deployed (updated in place)"


def seed_data(ctx: Context, result: StepResult, options: Options, timeout: float = 180) -> None:
    """Request /init.php once, only if no posts are listed, and only into the db's copy of its volume that holds
    them: a db that moved away from its data (part 1's volume is local to each node it ran on; a drain or a reboot
    moves it) is put back with its data first, or, with --reseed, its data is started afresh."""
    wait_services(ctx)
    node = ctx.ingress_nodes()[0]
    copies = ctx.db_copies()
    if options.reseed and copies:
        reseed(ctx, result, sorted(copies))
        copies = {}
    with_posts = sorted(n for n, holds in copies.items() if holds)
    db_nodes = ctx.db_nodes()
    if with_posts and db_nodes and db_nodes[0] not in with_posts:
        if len(with_posts) > 1:
            raise StepFailed(
                f"seed_data: the db runs on {db_nodes[0]}, and {DB_VOLUME} holds the posts on "
                f"{', '.join(with_posts)}: swarmlab cannot tell which copy is yours; start afresh with "
                f"`swarmlab lesson run --reseed` (it says what it removes)"
            )
        put_back(ctx, result, with_posts[0], db_nodes[0], copies)
    last = ["no answer"]

    def answered():
        try:
            page = parse_page(*ctx.cluster.page(node))
        except FetchFailed as failed:
            last[0] = failed.kind
            return None
        last[0] = f"HTTP {page.status}"
        return page if page.status == 200 else None

    page = until(
        answered,
        timeout=timeout,
        interval=2,
        what=f"seed_data: http://{node}/ to answer 200",
        progress=lambda: last[0],
        error=StepFailed,
    )
    if page.posts:
        result.summary = f"the posts are already in the database ({len(page.posts)} on http://{node}/)"
        return
    # through an overlay still converging, init.php can reach a php-fpm whose node cannot reach the db yet
    ctx.wait_overlay(result, repair=True)
    try:
        status = ctx.cluster.page(node, "/init.php", timeout=60).status
    except FetchFailed as failed:
        raise StepFailed(
            f"seed_data: http://{node}/init.php did not answer ({failed.kind}): read `docker service logs "
            f"{PHP_FPM}` and `swarmlab check --stage connectivity`"
        ) from None
    result.ran.append(Ran("this machine", f"GET http://{node}/init.php", 0, f"HTTP {status}"))
    if status != 200:
        raise StepFailed(
            f"seed_data: http://{node}/init.php answered HTTP {status}: read `docker service logs {PHP_FPM}`"
        )
    result.changed, result.summary = True, f"requested http://{node}/init.php once"


def put_back(ctx: Context, result: StepResult, target: str, moved_to: str, copies: dict) -> None:
    """The db back on the node whose volume holds the posts: the other nodes paused (their tasks keep running, no
    new one lands there), the db's task replaced, the nodes made active again; the lesson's files and the service
    stay as they were. The empty copies left behind are removed."""
    view = ctx.manager_view()
    db = view.service(DB)
    if db is None or target not in {n.hostname for n in view.eligible_nodes(db)}:
        constraints = "; ".join(db.constraints) if db else ""
        raise StepFailed(
            f"seed_data: the posts are in {target}'s {DB_VOLUME}, but the db's placement ({constraints}) "
            f"does not allow {target}: put the db's label there (`docker node update --label-add "
            f"storage=true {target}`), or start afresh with `swarmlab lesson run --reseed`"
        )
    paused = [n.hostname for n in view.nodes if n.ready and n.availability == "active" and n.hostname != target]
    try:
        for name in paused:
            ctx.admin.node_update(name, availability="pause")
        ctx.admin.service_update_force(DB)

        def back():
            return ctx.db_nodes() == [target] and not ctx.not_running([DB])

        until(back, timeout=180, interval=2, what=f"seed_data: the db to run on {target} again", error=StepFailed)
    finally:
        for name in paused:
            ctx.admin.node_update(name, availability="active")
    emptied = []
    for name, holds in copies.items():
        if not holds and name != target:
            ctx.admin.stopped_rm(name, DB)
            if ctx.admin.volume_rm(name, DB_VOLUME, check=False).ok:
                emptied.append(name)
    result.changed = True
    result.notes.append(
        f"the db had moved to {moved_to}, onto a new, empty {DB_VOLUME}; the posts were in {target}'s: "
        f"moved the db back to {target} (the other nodes paused for the move)"
        + (f" and removed the empty copy on {', '.join(emptied)}" if emptied else "")
    )


def reseed(ctx: Context, result: StepResult, holders: list) -> None:
    """--reseed: the storage stack removed with every copy of its volume (each said), deployed again empty."""
    result.notes.append(
        f"--reseed: removing the storage stack and {DB_VOLUME} on {', '.join(holders)} (every post "
        f"in them is lost), then deploying storage again"
    )
    ctx.admin.stack_rm("storage")
    gone_from(ctx, {DB})
    for name in holders:
        ctx.admin.stopped_rm(name, DB)
        ctx.admin.volume_rm(name, DB_VOLUME)
    ctx.admin.stack_deploy("storage", ctx.part.compose, ctx.deploy_env())
    wait_services(ctx)
    result.changed = True


def gone_from(ctx: Context, services: set, timeout: float = 120) -> dict:
    """Until no node runs a container of these services; the node views that showed it."""

    def gone():
        views = ctx.node_views()
        busy = [
            n
            for n, v in views.items()
            if isinstance(v, NodeView) and any(c.service in services and c.running for c in v.containers)
        ]
        return views if not busy else None

    return until(gone, timeout=timeout, what=f"the containers of {', '.join(sorted(services))} to go", error=StepFailed)


# -- teardown -----------------------------------------------------------------------------------


def teardown(ctx: Context, result: StepResult, options: Options, timeout: float = 120) -> None:
    """The part's stacks and volumes removed, on every node, all of it tried before anything is reported: a stack
    of the other part is named and left, never tripped over."""
    require_manager(ctx, "teardown")
    deployed = ctx.manager_view().stacks
    present = [s for s in ctx.part.stacks if s in deployed]
    others = sorted(s for s in deployed if s not in ctx.part.stacks and s in {x for p in PARTS for x in p.stacks})
    network_left = ctx.admin.stack_rm(*present) if present else False
    # all of the part's containers, not only those of the stacks removed here: after the lesson's own
    # `docker stack rm`, the db may still be stopping, and holds its volume until it is gone
    views = gone_from(ctx, {s.name for s in ctx.part.services}, timeout)
    if network_left:
        until(
            lambda: not ctx.admin.stack_rm(*present),
            timeout=60,
            what=f"the network of {', '.join(present)} to be free once its tasks stopped",
            progress=lambda: ctx.admin.ran[-1].output.splitlines()[-1],
            error=StepFailed,
        )
    removed, stuck = [], []
    for name, view in views.items():
        for volume in ctx.part.volumes:
            if not isinstance(view, NodeView) or view.volume(volume) is None:
                continue
            ctx.admin.stopped_rm(name, DB if volume == DB_VOLUME else "portainer_portainer")
            done = ctx.admin.volume_rm(name, volume, check=False)
            (removed if done.ok else stuck).append(f"{volume} on {name}")
    for stack in others:
        result.notes.append(
            f"the {stack} stack of the lesson's other part still runs: `swarmlab lesson step "
            f"teardown --part {2 if stack == 'portainer' else 1}` removes it"
        )
    result.changed = bool(present or removed)
    result.summary = f"removed stacks {', '.join(present) or 'none'} and {', '.join(removed) or 'no volume'}"
    if stuck:
        raise StepFailed(
            f"teardown: could not remove {', '.join(stuck)} (a container still uses it: `docker ps -a "
            f"--filter volume=NAME` on that node shows which); everything else was removed"
        )


def wait_services(ctx: Context, timeout: float = 240, names=None) -> None:
    """Until the part's services (or those named) run and the db is healthy."""
    problems = [""]

    def ready():
        problems[0] = "; ".join(ctx.not_running(names))
        return not problems[0]

    with ui.step("Waiting for the services and a healthy db") as shown:
        until(
            ready,
            timeout=timeout,
            what="the services did not start",
            progress=lambda: problems[0],
            step=shown,
            error=StepFailed,
        )


STEPS = (
    Step("init", "docker on the manager", init),
    Step("join", "a swarm on the manager (init)", join),
    Step("network", "a swarm on the manager (init)", network),
    Step("sync", "every node reachable", sync),
    Step("labels", "every node in the swarm (join)", labels, parts=(2,)),
    Step("deploy", f"{NETWORK} (network) and level6 on every node (sync)", deploy),
    Step("seed_data", "the stacks deployed and the db healthy (deploy)", seed_data),
)
TEARDOWN = Step("teardown", "a swarm on the manager (init)", teardown)


def steps_of(part: int) -> tuple:
    return tuple(step for step in STEPS if part in step.parts)


def named(name: str, part: int) -> Step:
    for step in steps_of(part) + (TEARDOWN,):
        if step.name == name:
            return step
    known = ", ".join(s.name for s in steps_of(part) + (TEARDOWN,))
    raise StepFailed(f"unknown step {name!r}: use one of {known}")
