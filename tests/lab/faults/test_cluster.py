"""Faults of the swarm, its nodes and the network between them: membership, a node that cannot pull an image, the
cluster and overlay ports, the path MTU, a task off the overlay, VIPs without IPVS, and the lesson half deployed
again from its network up."""

import subprocess
from contextlib import contextmanager
from dataclasses import replace

import pytest

from swarmlab.lesson.context import Options
from swarmlab.lesson.driver import Lesson
from swarmlab.lesson.spec import LESSON_DIR, reader
from swarmlab.state import reads
from swarmlab.transport import inventory
from swarmlab.waiting import until

from ...conftest import swarmlab
from .catalogue import checked, on, overlay_settled, settled, undone, without_the_db

pytestmark = pytest.mark.lab


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


# -- what a node holds ------------------------------------------------------------------------------------


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
