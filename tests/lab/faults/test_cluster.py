"""Faults of the swarm and its nodes: membership, a second manager, a node cut off from the cluster port, a node
that cannot pull an image, and lesson commands sent to a worker."""

import subprocess
from dataclasses import replace

import pytest

from swarmlab.lesson.context import Options
from swarmlab.lesson.driver import Lesson
from swarmlab.lesson.spec import LESSON_DIR
from swarmlab.state import reads
from swarmlab.transport import inventory

from ...conftest import swarmlab
from .catalogue import checked, on, settled, undone

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
