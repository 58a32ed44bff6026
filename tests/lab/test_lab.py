"""The embedded lab: three nodes, each its own Docker engine, reachable over SSH like cloud VMs."""

import json
import socket

import paramiko
import pytest
import testinfra

from swarmlab.lab import images
from swarmlab.transport import inventory
from swarmlab.transport.factory import over_ssh

from ..conftest import assert_one_clear_line, swarmlab
from .conftest import ENGINE

pytestmark = pytest.mark.lab


@pytest.fixture(scope="module")
def inv(lab):
    return inventory.load(lab.inventory_path)


def strict_ssh(node):
    """Plain paramiko with strict host keys: what any SSH client of the lab must be able to do."""
    client = paramiko.SSHClient()
    client.load_host_keys(str(node.known_hosts))
    client.set_missing_host_key_policy(paramiko.RejectPolicy())
    client.connect(
        node.address,
        port=node.port,
        username=node.user,
        key_filename=str(node.key),
        look_for_keys=False,
        allow_agent=False,
        timeout=10,
    )
    return client


def run(client, command):
    _, stdout, stderr = client.exec_command(command, timeout=60)
    status = stdout.channel.recv_exit_status()
    return status, stdout.read().decode(), stderr.read().decode()


def test_the_lab_has_the_lessons_nodes_one_manager(inv, lab):
    assert inv.names == ("manager", "worker-1", "worker-2")
    assert [n.role for n in inv.nodes] == ["manager", "worker", "worker"]
    assert inv.lab == lab.name


def test_every_node_answers_ssh_with_strict_host_keys_and_runs_its_own_engine(inv):
    engine_ids = set()
    for node in inv.nodes:
        client = strict_ssh(node)
        try:
            status, out, _ = run(client, "hostname; docker info --format '{{json .}}'")
        finally:
            client.close()
        assert status == 0
        hostname, info = out.split("\n", 1)
        info = json.loads(info)
        assert hostname == node.name
        engine_ids.add(info["ID"])
    assert len(engine_ids) == 3


def test_a_changed_host_key_is_refused(inv, tmp_path):
    node = inv.manager
    other = inv.node("worker-1")
    forged = tmp_path / "known_hosts"
    line = next(entry for entry in other.known_hosts.read_text().splitlines() if entry.startswith(other.address + " "))
    forged.write_text(line.replace(other.address, node.address, 1) + "\n")
    client = paramiko.SSHClient()
    client.load_host_keys(str(forged))
    client.set_missing_host_key_policy(paramiko.RejectPolicy())
    with pytest.raises(paramiko.BadHostKeyException):
        client.connect(
            node.address,
            username="root",
            key_filename=str(node.key),
            look_for_keys=False,
            allow_agent=False,
            timeout=10,
        )


def test_a_container_runs_inside_a_node(inv):
    client = strict_ssh(inv.node("worker-2"))
    try:
        status, out, err = run(client, "docker run --rm swarmlab/php-fpm:lab php -r 'echo 6*7;'")
    finally:
        client.close()
    assert (status, out) == (0, "42"), err


def test_the_db_stand_in_starts_on_an_empty_data_folder_in_every_node(inv):
    """The contract mysql:5.7's first start relies on: an empty /var/lib/mysql, whatever put the image there."""
    for node in inv.nodes:
        client = strict_ssh(node)
        try:
            status, out, err = run(client, "docker run --rm --entrypoint ls swarmlab/db:lab -A /var/lib/mysql")
        finally:
            client.close()
        assert (status, out) == (0, ""), (node.name, out, err)


def test_the_stand_in_images_are_in_every_nodes_engine(inv):
    wanted = {image.tag for image in images.STAND_INS}
    for node in inv.nodes:
        client = strict_ssh(node)
        try:
            _, out, _ = run(client, "docker image ls --format '{{json .}}'")
        finally:
            client.close()
        tags = {f"{i['Repository']}:{i['Tag']}" for i in map(json.loads, out.splitlines())}
        assert wanted <= tags, node.name


def test_each_nodes_sshd_answers_on_its_lab_address_from_the_host(inv):
    for node in inv.nodes:
        with socket.create_connection((node.address, 22), timeout=5) as conn:
            assert conn.recv(64).startswith(b"SSH-2.0-OpenSSH")


def test_testinfra_reaches_the_nodes_through_the_labs_ssh_config(lab):
    for name in ("manager", "worker-1", "worker-2"):
        host = testinfra.get_host(f"ssh://{name}", ssh_config=str(lab.ssh_config_path))
        assert host.check_output("hostname") == name
        assert host.process.filter(comm="dockerd")
        assert host.process.filter(comm="sshd")
        assert host.file("/etc/profile.d/swarmlab.sh").contains("LEMP_ENDPOINT_MODE=")


def test_become_sudo_reaches_docker_as_an_unprivileged_user(inv):
    from swarmlab.transport.inventory import Inventory, NodeSpec

    manager = inv.manager
    student = NodeSpec(
        manager.name, manager.address, "manager", 22, "student", manager.key, manager.known_hosts, become="sudo"
    )
    with over_ssh(Inventory(nodes=(student,))) as cluster:
        result = cluster.run("manager", "id -un; docker version --format '{{.Server.Version}}'")
    assert result.ok, result.stderr
    assert result.stdout.splitlines()[0] == "root"


def test_status_json_lists_every_node_with_ssh_engine_swarm_and_ipvs(lab, inv):
    done = swarmlab("lab", "status", "--lab", lab.name, "--json", "-")
    assert done.returncode == 0, done.stderr
    nodes = json.loads(done.stdout)["nodes"]
    assert [n["name"] for n in nodes] == list(inv.names)
    for row, node in zip(nodes, inv.nodes):
        assert set(row) == {"name", "address", "port", "user", "key", "known_hosts", "ssh", "engine", "swarm", "ipvs"}
        assert (row["address"], row["port"], row["user"], row["ssh"]) == (node.address, 22, "root", True)
        assert row["engine"].startswith(ENGINE) and row["swarm"] in ("inactive", "active")
        assert isinstance(row["ipvs"], bool)


def test_lab_ssh_streams_output_and_exits_with_the_commands_status(lab):
    done = swarmlab("lab", "ssh", "--lab", lab.name, "worker-1", "--", "sh", "-c", "echo out; echo err >&2; exit 7")
    assert (done.returncode, done.stdout, done.stderr) == (7, "out\n", "err\n")


def test_a_second_up_reports_and_changes_nothing(lab, docker_client):
    before = sorted(c.id for c in lab.containers())
    done = swarmlab("lab", "up", "--lab", lab.name)
    assert_one_clear_line(done, 1, "already runs", "nothing changed")
    assert swarmlab("lab", "up", "--lab", lab.name, "--exist-ok").returncode == 0
    assert sorted(c.id for c in lab.containers()) == before


def test_up_with_another_node_count_while_running_is_refused(lab):
    assert_one_clear_line(swarmlab("lab", "up", "--lab", lab.name, "--nodes", "2"), 2, "already runs with 3 nodes")
