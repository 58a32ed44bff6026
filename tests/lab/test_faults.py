"""The fault catalogue: each fault injected on the lab the way its real cause acts, caught by the check meant
for it with its cause, node and fix named, and by no unrelated check (tests/expectations.py).

What every state answered is recorded; `make recordings` keeps the recordings
in tests/recordings for the replay suite. After each fault the cluster is put
back with `swarmlab lesson run`, which itself proves it converges again.
"""

import os
import subprocess
from contextlib import contextmanager
from datetime import datetime, timezone

import pytest

from swarmlab import resources
from swarmlab.checks import run_checks
from swarmlab.lesson.context import Options
from swarmlab.lesson.driver import Lesson
from swarmlab.lesson.spec import LESSON_DIR, reader
from swarmlab.secrets import Masker, lesson_passwords
from swarmlab.state import reads
from swarmlab.state.models import when
from swarmlab.transport import inventory
from swarmlab.transport.factory import over_ssh
from swarmlab.transport.recording import Recording
from swarmlab.waiting import until

from ..conftest import swarmlab
from ..expectations import EXPECTED, assert_outcomes

pytestmark = pytest.mark.lab
RECORD = os.environ.get("SWARMLAB_RECORD")  # a folder: keep every state's recording there
DB_MOVED = "the db moved and its data stayed behind"  # what `lesson run` says when it will not seed


@pytest.fixture(autouse=True)
def converged(lesson_run):
    return lesson_run


def on(cluster, node, command, *args):
    done = cluster.run(node, command, *args, timeout=300)
    assert done.ok, (command, done.stdout, done.stderr)
    return done.stdout


def settled(cluster, what="the services to settle", timeout=180, condition=None):
    """Until every service runs what it wants (or `condition` holds), three reads in a row."""

    def steady():
        view = reads.read_manager(cluster)
        if condition is not None:
            return condition(view)
        return all(view.converged(s) for s in view.services) and all(
            s.update_state in (None, "completed") for s in view.services
        )

    until(steady, timeout=timeout, what=what, hold=3)


def overlay_settled(cluster):
    """Until the overlay carries php-fpm between every pair of nodes: a network made fresh under a crash-looping
    edge can lose a node's join for up to a minute (moby/moby#53437, see Lesson.wait_overlay); the state
    recorded after it is the one the test names, not that race."""
    until(
        lambda: not reader(cluster).overlay_problems(), timeout=150, interval=2, what="the overlay to reach every node"
    )


def engine_of(cluster) -> str:
    version = reads.read_info(cluster, cluster.inventory.manager.name).engine or "?"
    return ".".join(version.split(".")[:2])


def checked(cluster, state: str, shows=None, timeout: float = 90):
    """The checks on the live cluster, recorded, held to the state's expectations.

    A state that comes and goes (a task restarted every few seconds runs for a moment each time) is read again
    until a read shows it, `shows(results)`, within `timeout`; that read is the one recorded and held."""
    expect = EXPECTED[state]
    masker = Masker(*lesson_passwords(resources.level6()))
    read = {}

    def one_read():
        read["recording"] = Recording(state, description=expect.why, engine=engine_of(cluster))
        read["results"] = run_checks(
            cluster.recorded(read["recording"], masker), expect.stages or None, "en", expect.part
        )
        return shows is None or shows(read["results"])

    until(one_read, timeout=timeout, interval=1, what=f"a read that shows {state}")
    recording, results = read["recording"], read["results"]
    if RECORD:
        recording.save(os.path.join(RECORD, f"{state}.{recording.engine}.json.gz"))
    assert_outcomes(results, expect)
    return results


def restore(lab, *words, run=None):
    """`lesson run` brings the cluster back to the lesson's state and says converged; `words` it must say.

    A fault that replaced the db's task (a node gone, an unhealthy db) may have let swarm start it on a node
    whose volume is empty: part 1's own flaw, which `lesson run` names and rightly refuses to paper over by
    seeding. Only then is the lab's db started afresh, and `lesson run` must converge from there.
    With SWARMLAB_RECORD, a `run` names the state this `lesson run` starts from, and everything it sent and read
    is kept in runs/ for the driver's replay tests (tests/unit/test_driver.py)."""
    recorded = []
    if RECORD and run:
        with over_ssh(inventory.load(lab.inventory_path)) as cluster:
            engine = engine_of(cluster)
        os.makedirs(os.path.join(RECORD, "runs"), exist_ok=True)
        recorded = ["--record", os.path.join(RECORD, "runs", f"{run}.{engine}.json.gz")]
    done = swarmlab("lesson", "run", "--lab", lab.name, *recorded, timeout=900)
    said = done.stdout
    if done.returncode != 0 and DB_MOVED in done.stdout + done.stderr:
        with over_ssh(inventory.load(lab.inventory_path)) as cluster:
            without_the_db(cluster)
        done = swarmlab("lesson", "run", "--lab", lab.name, timeout=900)
        said += done.stdout
    assert done.returncode == 0, done.stdout + done.stderr
    for word in words:
        assert word in said, said


@contextmanager
def undone(lab, *words, run=None):
    try:
        yield
    finally:
        restore(lab, *words, run=run)


def db_node(cluster):
    """The node where a container of the db is, if any."""
    return next(
        (
            name
            for name, node in reads.read_nodes(cluster, LESSON_DIR).items()
            if any(c.service == "storage_db" for c in node.containers)
        ),
        None,
    )


def without_the_db(cluster, *, volumes=True):
    """The storage stack removed, and with `volumes` its data on every node. In part 1 the db's volume is local to
    the node it ran on, and swarm may place a new db task on any node: after a fault that replaced the db, a fresh
    volume is the only start that does not depend on where it lands (`lesson run` refuses to seed a volume the
    data is not in, and part 2's label is what pins it)."""
    on(cluster, "manager", "docker stack rm storage")
    settled(cluster, "the db to go", condition=lambda view: db_node(cluster) is None)
    if volumes:
        for node in cluster.names:
            on(cluster, node, "docker volume rm -f storage_db_volume")


@pytest.fixture
def db_on_the_manager(lab, cluster):
    """A fault that takes a worker away moves the tasks it ran, and part 1's db among them would start on an
    empty volume elsewhere: a true failure, named by its own diagnosis (db_moved), but not the one these tests
    are about, and where the db lands is the scheduler's choice. So they start with the db on the manager: if it
    is elsewhere, it is deployed afresh while the workers are paused, and `lesson run` seeds it."""
    manager = cluster.inventory.manager.name
    if db_node(cluster) == manager:
        return
    without_the_db(cluster)
    workers = [name for name in cluster.names if name != manager]
    try:
        for worker in workers:
            on(cluster, manager, "docker node update --availability pause %s", worker)
        Lesson(cluster).step("deploy", Options(stacks=("storage",)))
        settled(cluster, "the db to start on the manager", condition=lambda view: db_node(cluster) == manager)
    finally:
        for worker in workers:
            on(cluster, manager, "docker node update --availability active %s", worker)
    restore(lab, "requested")


def test_the_healthy_lab_passes_every_check(cluster):
    checked(cluster, "healthy")


# -- join -----------------------------------------------------------------------------------------------


def test_a_drained_worker_is_named_with_the_command_that_activates_it(lab, cluster, db_on_the_manager):
    with undone(lab, "made worker-1 active again", run="drained-worker"):
        on(cluster, "manager", "docker node update --availability drain worker-1")
        settled(cluster)
        checked(cluster, "drained-worker")


def test_a_worker_that_rejoined_leaves_a_stale_entry_named_by_its_id(lab, cluster, db_on_the_manager):
    with undone(lab, "removed stale entries worker-2"):
        old = reads.read_manager(cluster).node_named("worker-2").id
        on(cluster, "worker-2", "docker swarm leave")
        # joined again by hand, as a student does: the lesson's join step removes an old entry that is Down by the
        # time the join is over, which on a loaded machine it already is
        Lesson(cluster).admin.join("worker-2", reads.read_info(cluster, "manager").manager_addr)
        settled(cluster, condition=lambda view: any(n.id == old and n.state == "down" for n in view.nodes))
        settled(cluster)
        results = checked(cluster, "stale-node-entry")
        assert old in next(r.hint for r in results if r.id == "no_node_is_listed_twice")


def test_a_worker_that_left_is_named_with_the_join_command(lab, cluster, db_on_the_manager):
    with undone(lab, "joined worker-2"):
        on(cluster, "worker-2", "docker swarm leave")
        on(cluster, "manager", "docker node rm --force worker-2")
        settled(cluster)
        checked(cluster, "worker-left")


def test_a_second_manager_is_named_as_a_quorum_risk(lab, cluster):
    try:
        on(cluster, "manager", "docker node promote worker-1")
        settled(cluster, condition=lambda view: view.node_named("worker-1").role == "manager")
        checked(cluster, "second-manager")
    finally:
        on(cluster, "manager", "docker node demote worker-1")


def test_a_node_cut_off_from_the_cluster_port_is_down_with_its_heartbeat_message(lab, cluster, db_on_the_manager):
    rules = ("OUTPUT -p tcp --dport 2377 -j DROP", "INPUT -p tcp --sport 2377 -j DROP")
    with undone(lab):
        try:
            for rule in rules:
                on(cluster, "worker-2", f"iptables -I {rule}")
            settled(cluster, "worker-2 to be Down", condition=lambda view: view.node_named("worker-2").state == "down")
            settled(cluster)
            checked(cluster, "cluster-port-blocked")
        finally:
            for rule in rules:
                on(cluster, "worker-2", f"iptables -D {rule}")
            settled(cluster, "worker-2 to be Ready again", condition=lambda view: view.node_named("worker-2").ready)


# -- the overlay between the nodes ----------------------------------------------------------------


@contextmanager
def firewalled(cluster, node, *rules):
    for rule in rules:
        on(cluster, node, f"iptables -I {rule}")
    try:
        yield
    finally:
        for rule in rules:
            on(cluster, node, f"iptables -D {rule}")


def cross_pings_fail(cluster, small=True):
    probes = reader(cluster).probes()
    return any(
        not (p.small if small else p.large)
        for probe in probes.values()
        if not isinstance(probe, Exception)
        for p in probe.pings
    )


def test_vxlan_blocked_on_one_node_names_that_node_and_port_4789(lab, cluster):
    with firewalled(cluster, "worker-2", "INPUT -p udp --dport 4789 -j DROP", "OUTPUT -p udp --dport 4789 -j DROP"):
        checked(cluster, "vxlan-blocked")
    until(lambda: not cross_pings_fail(cluster), timeout=60, what="the overlay to carry packets again")


def test_gossip_blocked_on_one_node_names_that_node_and_port_7946(lab, cluster):
    rules = [f"{chain} -p {proto} --dport 7946 -j DROP" for proto in ("tcp", "udp") for chain in ("INPUT", "OUTPUT")]
    with firewalled(cluster, "worker-2", *rules):

        def lost(view):
            network = reads.read_nodes(cluster, LESSON_DIR)["manager"].network("lemp-overlay")
            return network is not None and view.node_named("worker-2").addr not in network.peers

        settled(cluster, "the manager's NetworkDB to lose worker-2", timeout=120, condition=lost)
        checked(cluster, "gossip-blocked")
    with undone(lab):
        until(lambda: not cross_pings_fail(cluster), timeout=120, what="the overlay to converge again")


def test_a_path_mtu_below_the_overlays_passes_small_packets_and_loses_large_ones(lab, cluster):
    on(cluster, "worker-2", "ip link set eth0 mtu 1400")
    try:
        checked(cluster, "mtu-1400")
    finally:
        on(cluster, "worker-2", "ip link set eth0 mtu 1500")


# -- the stacks ------------------------------------------------------------------------------------


def test_a_php_fpm_task_without_its_overlay_address_is_named_and_replaced_by_lesson_run(lab, cluster):
    """The state the homework's redeploy on one node left now and then (the engine ran a task's container
    without attaching it), made the way the lab can: the container taken off lemp-overlay. The task the
    probes ping on worker-1 is the one, so the gateways' pings meet it too."""
    view = reads.read_manager(cluster)
    on_worker_1 = [t for t in view.tasks_of(view.service("core_php-fpm")) if view.hostname_of(t) == "worker-1"]
    with undone(lab, "replaced core_php-fpm's tasks", run="php-unattached"):
        on(cluster, "worker-1", "docker network disconnect lemp-overlay %s", on_worker_1[0].container_id)
        results = checked(cluster, "php-unattached")
        failed = next(r for r in results if r.key == "diagnose.unattached")
        assert on_worker_1[0].id in " ".join(failed.evidence), failed.evidence


def test_php_fpm_scaled_to_five_is_named_with_the_scale_command(lab, cluster):
    with undone(lab):
        on(cluster, "manager", "docker service scale -d core_php-fpm=5")
        settled(cluster)
        checked(cluster, "php-scaled-to-five")


def test_php_fpm_left_on_one_node_fails_the_spread_and_nothing_that_does_not_need_it(lab, cluster, db_on_the_manager):
    with undone(lab, "spread core_php-fpm again", run="php-unbalanced"):
        for node in ("worker-1", "worker-2"):
            on(cluster, "manager", "docker node update --availability drain %s", node)
        settled(cluster)
        for node in ("worker-1", "worker-2"):
            on(cluster, "manager", "docker node update --availability active %s", node)
        settled(cluster)
        checked(cluster, "php-unbalanced")


def test_php_fpm_pinned_by_a_constraint_names_the_constraint_to_remove(lab, cluster):
    with undone(lab):
        on(cluster, "manager", "docker service update -q -d --constraint-add node.hostname==worker-1 core_php-fpm")
        settled(cluster)
        checked(cluster, "php-pinned")


@pytest.mark.parametrize(
    "template, state",
    [("php-fpm", "plain-hostname-template"), ("php-fpm-{{.Node.Hostname}}-{{.Task.Slot}}", "slot-hostname-template")],
)
def test_a_hostname_template_passes_when_it_shows_the_node_that_runs_the_task(lab, cluster, template, state):
    with undone(lab):
        on(cluster, "manager", "docker service update -q -d --hostname %s core_php-fpm", template)
        settled(cluster)
        checked(cluster, state)


def test_a_gateway_published_through_the_routing_mesh_names_host_mode(lab, cluster):
    with undone(lab):
        on(
            cluster,
            "manager",
            "docker service update -d --publish-rm published=80,target=80,mode=host "
            "--publish-add mode=ingress,target=80,published=80 edge_gateway",
        )
        settled(cluster)
        checked(cluster, "gateway-ingress-mode")


def test_an_unhealthy_db_is_named_with_its_health_and_log(lab, cluster):
    with undone(lab):
        on(
            cluster,
            "manager",
            "docker service update -d --health-cmd 'exit 1' --health-interval 1s "
            "--health-retries 1 --health-start-period 0s storage_db",
        )

        def unhealthy(view):
            return any(
                c.service == "storage_db" and c.health == "unhealthy"
                for node in reads.read_nodes(cluster, LESSON_DIR).values()
                for c in node.containers
            )

        settled(cluster, "the db to turn unhealthy", condition=unhealthy)
        checked(cluster, "db-unhealthy")


@contextmanager
def level6_away(cluster, node="worker-2"):
    """The lesson's folder moved aside on `node` (running containers keep theirs), and put back after."""
    on(cluster, node, "mv /opt/docker-lessons/level6 /opt/docker-lessons/level6.away")
    try:
        yield
    finally:
        on(cluster, node, "mv /opt/docker-lessons/level6.away /opt/docker-lessons/level6")


def test_the_lessons_folder_missing_on_one_node_is_named(lab, cluster):
    with level6_away(cluster):
        checked(cluster, "level6-missing")


def test_a_bind_source_missing_on_one_node_rejects_its_task_with_dockers_words(lab, cluster):
    with undone(lab), level6_away(cluster):
        on(cluster, "manager", "docker service update -q -d --force edge_gateway")
        settled(
            cluster,
            "the gateway's task on worker-2 to be rejected",
            condition=lambda view: any(
                "bind source path does not exist" in t.error
                for t in view.tasks_of(view.service("edge_gateway"), running_only=False)
            ),
        )
        checked(cluster, "bind-source-missing")


@contextmanager
def gateway_config_typo(cluster, node="worker-2"):
    """The lesson's nginx default.conf with `listen` mistyped on `node` only, as a student's edit there leaves it."""
    conf = f"{LESSON_DIR}/lemp1/config/edge/default.conf"
    on(cluster, node, "cp -p %s /tmp/default.conf.good", conf)
    on(cluster, node, "sed -i %s %s", "s/listen 80;/lisen 80;/", conf)
    try:
        yield
    finally:
        on(cluster, node, "cat /tmp/default.conf.good > %s && rm /tmp/default.conf.good", conf)


def test_a_gateway_that_exits_on_one_node_is_shown_by_that_tasks_own_lines(lab, cluster):
    with undone(lab, run="gateway-exits"), gateway_config_typo(cluster):
        since = datetime.now(timezone.utc)
        on(cluster, "manager", "docker service update -q -d --force edge_gateway")
        settled(
            cluster,
            "the gateway's task on worker-2 to exit",
            condition=lambda view: (
                view.service("edge_gateway").update_state in ("paused", "completed")
                and any(
                    t.exit_code and view.hostname_of(t) == "worker-2" and when(t.timestamp) > since
                    for t in view.tasks_of(view.service("edge_gateway"), running_only=False)
                )
            ),
        )

        # Restarted every 5 s, the task runs for a moment each time: the state is a read between two starts, one
        # whose gateway check does not pass; that read is held to every expectation, the diagnosis included.
        def between_starts(found):
            return any(r.id == "the_gateway_runs_one_task_on_every_node" and r.outcome != "passed" for r in found)

        results = checked(cluster, "gateway-exits", shows=between_starts)
    failed = next(r for r in results if r.key == "diagnose.task_exits")
    assert any('unknown directive "lisen"' in line for line in failed.evidence), failed.evidence


def test_port_80_taken_on_a_node_names_the_program_that_holds_it(lab, cluster):
    with undone(lab):
        try:
            on(cluster, "manager", "docker stack rm edge")
            settled(
                cluster,
                "the gateways to go",
                condition=lambda view: (
                    not any(
                        c.service == "edge_gateway"
                        for c in reads.read_nodes(cluster, LESSON_DIR)["worker-1"].containers
                    )
                ),
            )
            on(cluster, "worker-1", "nohup python3 -m http.server 80 >/dev/null 2>&1 & sleep 1")
            Lesson(cluster).step("deploy", Options(stacks=("edge",)))
            settled(
                cluster,
                "the gateway on worker-1 to fail",
                condition=lambda view: any(
                    "address already in use" in t.error
                    for t in view.tasks_of(view.service("edge_gateway"), running_only=False)
                ),
            )
            checked(cluster, "port-80-taken")
        finally:
            on(cluster, "worker-1", "pkill -f 'http[.]server 80' || true")


def test_an_image_missing_on_a_node_that_cannot_pull_it_is_named(lab, cluster, docker_client):
    container = f"{lab.name}-worker-2"
    with undone(lab, "spread core_php-fpm again"):
        try:
            # What a student meets after `./restart.sh core` on a node that cannot pull: each task sent there is
            # rejected until the scheduler avoids the node and runs all six on the others.
            on(cluster, "worker-2", "docker rmi -f swarmlab/php-fpm:lab")
            on(cluster, "manager", "docker stack rm core")
            settled(
                cluster,
                "php-fpm's containers to go",
                condition=lambda view: (
                    not any(
                        c.service == "core_php-fpm"
                        for node in reads.read_nodes(cluster, LESSON_DIR).values()
                        for c in node.containers
                    )
                ),
            )
            Lesson(cluster).step("deploy", Options(stacks=("core",)))
            settled(cluster)
            checked(cluster, "image-missing")
        finally:
            save = subprocess.Popen(["docker", "save", "swarmlab/php-fpm:lab"], stdout=subprocess.PIPE)
            subprocess.run(
                ["docker", "exec", "-i", container, "docker", "load", "-q"],
                stdin=save.stdout,
                check=True,
                capture_output=True,
            )
            save.wait()


def test_a_gateway_holding_php_fpm_addresses_no_task_has_is_named_from_nginxs_log(lab, cluster):
    gateway = reads.read_nodes(cluster, LESSON_DIR)["worker-1"].running("edge_gateway")[0].id
    with undone(lab):
        try:
            # What the lesson's nginx does: resolve php-fpm once. The lab's gateway follows the tasks; stop that.
            on(
                cluster,
                "worker-1",
                "docker exec %s sh -c %s",
                gateway,
                "for p in /proc/[0-9]*; do grep -qa 'swarmlab-gatewa[y]' $p/cmdline 2>/dev/null && kill ${p#/proc/}; "
                "done; true",
            )
            on(cluster, "manager", "docker service update -q -d --force core_php-fpm")
            settled(cluster)
            checked(cluster, "stale-upstream")
        finally:
            on(cluster, "worker-1", "docker rm -f %s", gateway)


def test_a_db_volume_made_with_another_password_is_named_though_the_db_is_healthy(lab, cluster):
    with undone(lab):
        try:
            without_the_db(cluster, volumes=False)
            for node in cluster.names:
                on(
                    cluster,
                    node,
                    "docker volume rm -f storage_db_volume && docker run -d --name other-password "
                    "-e MYSQL_ROOT_PASSWORD=not-the-lessons -v storage_db_volume:/var/lib/mysql "
                    "swarmlab/db:lab",
                )
            for node in cluster.names:
                until(
                    lambda node=node: "ready for start" in cluster.run(node, "docker logs other-password 2>&1").stdout,
                    timeout=90,
                    what=f"the other password's db on {node}",
                )
                on(cluster, node, "docker rm -f other-password")
            Lesson(cluster).step("deploy", Options(stacks=("storage",)))
            settled(cluster)
            checked(cluster, "db-other-password")
        finally:
            without_the_db(cluster)


def test_the_stacks_in_vip_mode_on_a_kernel_without_ipvs_name_the_missing_ipvs(lab, cluster):
    with undone(lab):
        lesson = Lesson(cluster)
        lesson._endpoint_mode = "vip"
        lesson.step("deploy", Options(stacks=("core",)))
        settled(cluster)
        checked(cluster, "vip-mode")


# -- from the stacks removed to a half-deployed lesson ---------------------------------------------


def test_teardown_then_the_network_then_edge_alone_then_storage_missing(lab, cluster, docker_client):
    with undone(lab, run="storage-missing"):
        on(cluster, "manager", "docker stack rm edge core storage")
        settled(
            cluster,
            "the stacks' containers to go",
            condition=lambda view: (
                not any(c.service for node in reads.read_nodes(cluster, LESSON_DIR).values() for c in node.containers)
            ),
        )
        checked(cluster, "stacks-removed-volume-left")

        on(cluster, "manager", "docker network rm lemp-overlay && docker network create -d bridge lemp-overlay")
        checked(cluster, "network-bridge")

        # An overlay whose range is the nodes' own network (the lab's, as a VPC's 10.0.0.0/16 would be): Docker
        # takes it without a word (moby/moby#50011).
        subnet = docker_client.networks.get(lab.network_name).attrs["IPAM"]["Config"][0]["Subnet"]
        on(
            cluster,
            "manager",
            "docker network rm lemp-overlay && docker network create -d overlay --attachable --subnet %s lemp-overlay",
            subnet,
        )
        checked(cluster, "overlay-overlaps-the-nodes")

        on(cluster, "manager", "docker network rm lemp-overlay")
        lesson = Lesson(cluster)
        lesson.step("network")
        lesson.step("deploy", Options(stacks=("edge",), lesson_order=True))
        results = checked(cluster, "edge-before-core")
        assert any('host not found in upstream "php-fpm"' in line for r in results for line in r.evidence)

        lesson.step("deploy", Options(stacks=("core",)))
        settled(cluster)
        overlay_settled(cluster)
        checked(cluster, "storage-missing")
        without_the_db(cluster)


def test_lesson_commands_sent_to_a_worker_fail_with_dockers_words(lab, lab_inventory, tmp_path):
    from dataclasses import replace

    from swarmlab.transport import inventory

    swapped = tuple(
        replace(n, role="worker" if n.name == "manager" else "manager" if n.name == "worker-1" else n.role)
        for n in lab_inventory.nodes
    )
    path = tmp_path / "inventory.yaml"
    inventory.dump(replace(lab_inventory, nodes=swapped, path=path), path)
    done = swarmlab("lesson", "step", "network", "--inventory", str(path))
    assert done.returncode == 1
    assert "worker-1 is a worker of its swarm, not its manager" in done.stderr
    assert "This node is not a swarm manager" in done.stderr
    assert "role: manager" in done.stderr
