"""Bringing a lab up and down, including when things go wrong half-way."""

import json

import pytest

from swarmlab.lab.lab import LABEL, Lab

from ..conftest import assert_one_clear_line, swarmlab

pytestmark = pytest.mark.lab
NAME = "swarmlab-test-life"


def labelled(client, name):
    """Everything on the engine that carries the lab's label."""
    filters = {"label": f"{LABEL}={name}"}
    return (
        client.containers.list(all=True, filters=filters),
        client.volumes.list(filters=filters),
        client.networks.list(filters=filters),
    )


@pytest.fixture
def life_lab(docker_client):
    lab = Lab(NAME, docker_client)
    lab.down()
    yield lab
    lab.down()


def test_down_leaves_no_container_volume_or_network_with_the_labs_label(life_lab, docker_client):
    life_lab.up(nodes=1)
    containers, volumes, networks = labelled(docker_client, NAME)
    assert (len(containers), len(volumes), len(networks)) == (1, 1, 1)
    done = swarmlab("lab", "down", "--lab", NAME)
    assert done.returncode == 0, done.stderr
    assert labelled(docker_client, NAME) == ([], [], [])
    assert not life_lab.dir.exists()


def test_nodes_are_not_in_a_swarm_after_up(life_lab):
    life_lab.up(nodes=2)
    done = swarmlab("lab", "status", "--lab", NAME, "--json", "-")
    assert done.returncode == 0, done.stderr
    assert [(n["name"], n["swarm"]) for n in json.loads(done.stdout)["nodes"]] == [
        ("manager", "inactive"),
        ("worker-1", "inactive"),
    ], "the lesson, not `up`, makes the swarm"


def test_down_twice_says_there_is_nothing_to_remove(life_lab):
    assert_one_clear_line(swarmlab("lab", "down", "--lab", NAME), 1, "no lab named", "nothing to remove")


def test_an_up_that_fails_half_way_removes_what_it_made(life_lab, docker_client, monkeypatch):
    def interrupted(*args):
        raise KeyboardInterrupt

    monkeypatch.setattr(Lab, "_write_profile", interrupted)
    with pytest.raises(KeyboardInterrupt):
        life_lab.up(nodes=1)
    assert labelled(docker_client, NAME) == ([], [], [])
    assert not life_lab.dir.exists()


def test_up_recovers_from_what_a_killed_up_left_behind(life_lab, docker_client):
    docker_client.networks.create(life_lab.network_name, labels={LABEL: NAME})
    docker_client.volumes.create(f"{NAME}-manager-docker", labels={LABEL: NAME})
    life_lab.dir.mkdir(parents=True)
    done = swarmlab("lab", "up", "--lab", NAME, "--nodes", "1")
    assert done.returncode == 0, done.stderr
    assert life_lab.is_complete()
    assert [c.name for c in life_lab.containers()] == [f"{NAME}-manager"]


def test_status_of_a_lab_that_does_not_run_fails_with_how_to_start_it(life_lab):
    assert_one_clear_line(swarmlab("lab", "status", "--lab", NAME), 1, "no lab named", "swarmlab lab up")


def test_up_exist_ok_starts_a_stopped_node_again(life_lab):
    life_lab.up(nodes=1)
    life_lab.containers()[0].stop(timeout=5)
    done = swarmlab("lab", "up", "--lab", NAME, "--nodes", "1", "--exist-ok")
    assert done.returncode == 0, done.stderr
    status = swarmlab("lab", "status", "--lab", NAME)
    assert status.returncode == 0, status.stdout


def test_nodes_started_again_in_another_order_keep_the_addresses_their_swarm_knows(life_lab):
    """A restart of the engine starts the stopped nodes in no particular order."""
    made = life_lab.up(nodes=2)
    for container in life_lab.containers():
        container.stop(timeout=5)
    next(c for c in life_lab.containers() if c.labels["swarmlab.node"] == "worker-1").start()
    done = swarmlab("lab", "up", "--lab", NAME, "--nodes", "2", "--exist-ok")
    assert done.returncode == 0, done.stdout + done.stderr
    for container in life_lab.containers():
        container.reload()
        node = container.labels["swarmlab.node"]
        assert container.attrs["NetworkSettings"]["Networks"][life_lab.network_name]["IPAddress"] == (
            made.node(node).address
        ), node
