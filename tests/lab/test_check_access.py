"""Checks against clusters that cannot be reached or are not what they claim: a clear outcome per
check, never a traceback, and the reason in plain words."""

import ipaddress
import json
import os

import pytest

from swarmlab.lab import keys
from swarmlab.transport import inventory
from swarmlab.transport.factory import over_ssh
from swarmlab.transport.inventory import Inventory, NodeSpec

from ..conftest import swarmlab
from .conftest import ENGINE, fresh_lab

RECORD = os.environ.get("SWARMLAB_RECORD")  # a folder: keep the two-card state's recording there

pytestmark = pytest.mark.lab


def write_inventory(tmp_path, nodes):
    path = tmp_path / "inventory.yaml"
    inventory.dump(Inventory(nodes=tuple(nodes), path=path), path)
    return path


def check(path, tmp_path, *extra):
    report = tmp_path / "report.json"
    done = swarmlab("check", "--inventory", str(path), "--lang", "en", "--json", str(report), *extra, timeout=120)
    assert "Traceback" not in done.stdout + done.stderr
    assert done.returncode == 1, done.stdout + done.stderr
    return {(r["stage"], r["id"]): r for r in json.loads(report.read_text())["checks"]}


def manager_only(lab_inventory, **changes):
    manager = lab_inventory.manager
    fields = {**manager.__dict__, **changes}
    return NodeSpec(**fields)


def assert_init_fails_and_the_rest_is_blocked(results, *words):
    first = results[("init", "manager_answers_with_docker")]
    assert first["outcome"] == "failed"
    for word in words:
        assert word in first["message"], first
    later = {
        r["outcome"]
        for (stage, check), r in results.items()
        if stage in ("join", "network", "stacks", "pages") and check != "every_worker_answers_with_docker"
    }
    assert later <= {"blocked", "not_applicable"} and "blocked" in later


@pytest.fixture
def unused_address(lab, docker_client):
    subnet = docker_client.networks.get(lab.network_name).attrs["IPAM"]["Config"][0]["Subnet"]
    return str(ipaddress.ip_network(subnet)[250])


def test_an_address_where_nothing_answers(lab, lab_inventory, unused_address, tmp_path):
    path = write_inventory(tmp_path, [manager_only(lab_inventory, address=unused_address)])
    assert_init_fails_and_the_rest_is_blocked(check(path, tmp_path), "manager cannot be reached", "check the address")


def test_a_closed_ssh_port(lab, lab_inventory, tmp_path):
    path = write_inventory(tmp_path, [manager_only(lab_inventory, port=2222)])
    assert_init_fails_and_the_rest_is_blocked(check(path, tmp_path), "refused", "sshd runs and the port is right")


def test_a_key_the_node_refuses(lab, lab_inventory, tmp_path):
    wrong = tmp_path / "wrong_key"
    wrong.write_bytes(keys.ed25519().private)
    wrong.chmod(0o600)
    path = write_inventory(tmp_path, [manager_only(lab_inventory, key=wrong)])
    assert_init_fails_and_the_rest_is_blocked(check(path, tmp_path), "was refused for user root", "authorized_keys")


def test_a_host_key_that_changed(lab, lab_inventory, tmp_path):
    manager = lab_inventory.manager
    forged = tmp_path / "known_hosts"
    forged.write_text(keys.known_hosts_line(manager.address, 22, keys.ed25519().public))
    path = write_inventory(tmp_path, [manager_only(lab_inventory, known_hosts=forged)])
    assert_init_fails_and_the_rest_is_blocked(check(path, tmp_path), "host key", "changed", "ssh-keygen -R")


def test_an_unknown_host_key_needs_accept_new_host_keys(lab, lab_inventory, tmp_path):
    empty = tmp_path / "known_hosts"
    empty.write_text("")
    path = write_inventory(tmp_path, [manager_only(lab_inventory, known_hosts=empty)])
    assert_init_fails_and_the_rest_is_blocked(
        check(
            path,
            tmp_path,
            "--stage",
            "init",
            "--stage",
            "join",
            "--stage",
            "network",
            "--stage",
            "stacks",
            "--stage",
            "pages",
        ),
        "not in",
        "--accept-new-host-keys",
    )
    done = swarmlab("check", "--inventory", str(path), "--stage", "init", "--accept-new-host-keys", "--lang", "en")
    assert "manager answers with docker" in done.stdout
    assert lab_inventory.manager.address in empty.read_text()


def test_an_ssh_server_that_never_answers_times_out(lab, lab_inventory, silent_port, tmp_path):
    path = write_inventory(tmp_path, [manager_only(lab_inventory, address="127.0.0.1", port=silent_port)])
    assert_init_fails_and_the_rest_is_blocked(check(path, tmp_path), "timed out")


def test_a_node_without_docker(lab, lesson_run, cluster, tmp_path):
    assert cluster.run("worker-2", "mv /usr/bin/docker /usr/bin/docker.away").ok
    try:
        results = check(lab.inventory_path, tmp_path)
    finally:
        assert cluster.run("worker-2", "mv /usr/bin/docker.away /usr/bin/docker").ok
    failed = results[("join", "every_worker_answers_with_docker")]
    assert failed["outcome"] == "failed" and "docker does not answer on worker-2" in failed["message"]
    assert "install Docker Engine on worker-2" in failed["hint"]


@pytest.fixture(scope="module")
def bare_lab(docker_client):
    with fresh_lab(docker_client, "swarmlab-test-bare", 1) as bare:
        yield bare


def test_a_cluster_without_a_swarm_fails_init_with_the_command_to_run(bare_lab, tmp_path):
    results = check(bare_lab.inventory_path, tmp_path)
    inactive = results[("init", "swarm_is_active_on_the_manager")]
    assert inactive["outcome"] == "failed"
    assert "swarm is inactive on manager" in inactive["message"]
    assert "docker swarm init" in inactive["hint"] and inactive["step"] == "init"
    assert results[("join", "every_inventory_node_is_in_the_swarm")]["outcome"] == "blocked"


@pytest.fixture
def second_card(bare_lab, docker_client):
    """The bare lab's manager with a second network card, on a network of the lab's own: a VM with two NICs."""
    network = docker_client.networks.create(f"{bare_lab.name}-second", driver="bridge")
    node = docker_client.containers.get(bare_lab.container_name("manager"))
    network.connect(node)
    try:
        yield
    finally:
        network.disconnect(node, force=True)
        network.remove()


def test_swarm_init_on_a_manager_with_two_cards_is_refused_by_docker_and_named_with_the_address_to_advertise(
    bare_lab, second_card, tmp_path
):
    manager = inventory.load(bare_lab.inventory_path).manager
    with over_ssh(inventory.load(bare_lab.inventory_path)) as cluster:
        init = cluster.run("manager", "docker swarm init")
    assert not init.ok and "could not choose an IP address to advertise" in init.stderr, init.stderr
    recorded = ("--record", os.path.join(RECORD, f"two-cards.{ENGINE}.json.gz")) if RECORD else ()
    results = check(bare_lab.inventory_path, tmp_path, "--stage", "init", *recorded)
    failed = results[("init", "swarm_is_active_on_the_manager")]
    assert failed["key"] == "diagnose.two_cards", failed
    assert "eth0" in failed["message"] and "eth1" in failed["message"], failed["message"]
    assert f"docker swarm init --advertise-addr {manager.address}" in failed["hint"], failed["hint"]
