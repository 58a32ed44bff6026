"""Checks only read: every command the read side may send is a known reading program, and anything that
would change a cluster is refused before it leaves this machine."""

import pytest

from swarmlab.errors import WriteRefused
from swarmlab.state import reads
from swarmlab.state.readonly import ReadOnlyNode, refusal

from .test_transport import Echo

WRITES = [
    "docker service scale core_php-fpm=5",
    "docker node update --availability drain worker-1",
    "docker exec abc rm -rf /",
    "docker exec abc sh -c 'getent hosts x; rm -rf /'",
    "docker stack rm edge",
    "docker stack remove edge",
    "docker volume rm storage_db_volume",
    "docker info; rm -rf /",
    "echo hi > /etc/passwd",
    "find / -delete",
    "ip link set eth0 mtu 1400",
    "xargs rm",
    "n=$(rm -rf /)",
    "docker exec -e A=1 abc touch /x",
    "docker swarm join-token -q worker",
    "docker network create x",
    "iptables -A INPUT -j DROP",
    "timeout 5 docker service update --force x",
]


@pytest.mark.parametrize("script", [reads.MANAGER_READ, reads.node_read("/opt/docker-lessons/level6"), reads.INFO_READ])
def test_the_batched_reads_are_read_only(script):
    assert refusal(script) is None


def test_the_second_round_of_probes_is_read_only():
    plan = reads.ProbePlan(
        "worker-1",
        "c0ffee",
        ("10.0.1.5", "10.0.1.6"),
        ("172.18.0.2",),
        ("/opt/docker-lessons/level6/lemp1/core", "/odd path/it's"),
    )
    command, args = plan.script()
    assert refusal(Echo().run(command, *args).command) is None


@pytest.mark.parametrize("command", WRITES)
def test_a_command_that_changes_a_cluster_is_refused(command):
    assert refusal(command) is not None


def test_a_read_only_node_refuses_a_write_before_sending_it():
    inner = Echo()
    node = ReadOnlyNode(inner)
    assert node.run("docker info").ok
    with pytest.raises(WriteRefused, match="the checks only read"):
        node.run("docker service scale %s", "core_php-fpm=5")
    with pytest.raises(WriteRefused):
        node.put(None, "/etc/passwd")
    assert inner.sent == ["docker info"]
