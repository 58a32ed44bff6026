"""Faults of the network between the nodes: the overlay's and the gossip's ports, the path MTU, a task off the
overlay, VIPs without IPVS, and the lesson half deployed again from its network up."""

from contextlib import contextmanager

import pytest

from swarmlab.lesson.context import Options
from swarmlab.lesson.driver import Lesson
from swarmlab.lesson.spec import LESSON_DIR, reader
from swarmlab.state import reads
from swarmlab.waiting import until

from .catalogue import checked, on, overlay_settled, settled, undone, without_the_db

pytestmark = pytest.mark.lab


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
