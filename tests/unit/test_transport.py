"""Reaching nodes: arguments are quoted for the shell, a recording answers again exactly what it recorded and
nothing else, and nothing secret is kept."""

import pytest

from swarmlab.errors import CommandFailed, NodeUnreachable, ReplayMiss
from swarmlab.secrets import Masker
from swarmlab.transport.base import Node, quote
from swarmlab.transport.cluster import Cluster, parallel
from swarmlab.transport.factory import replayed
from swarmlab.transport.inventory import Inventory, NodeSpec
from swarmlab.transport.recording import CommandLog, Recording
from swarmlab.transport.web import Answer, FetchFailed

TOKEN = "-".join(("SWMTKN", "1", "a" * 50, "b" * 25))


class Echo(Node):
    """A node that answers every command with the command itself."""

    def __init__(self, name="manager", status=0):
        self.name, self.status, self.sent = name, status, []

    def _exec(self, command, on_out, on_err, timeout, stdin):
        self.sent.append(command)
        on_out(command.encode())
        return self.status


class Pages:
    def get(self, node, address, path="/", timeout=5, scheme="http", port=None):
        if node == "worker-1":
            raise FetchFailed("refused")
        return Answer(200, f"<h1>Хост - php-fpm-{node}</h1>")


def two_nodes():
    inv = Inventory(nodes=(NodeSpec("manager", "10.0.0.1", "manager"), NodeSpec("worker-1", "10.0.0.2")))
    return Cluster(inv, {"manager": Echo("manager"), "worker-1": Echo("worker-1")}, Pages())


@pytest.mark.parametrize("argument", ["a b", "it's", "$(reboot)", "`id`", "; rm -rf /", "*"])
def test_an_argument_reaches_the_shell_as_one_word_whatever_it_holds(argument):
    import shlex

    assert shlex.split(quote("docker service ps %s", argument)) == ["docker", "service", "ps", argument]


def test_run_quotes_its_arguments_and_check_output_strips_the_last_newline():
    node = Echo()
    assert node.run("docker volume rm %s", "my volume").command == "docker volume rm 'my volume'"
    assert node.check_output("echo %s", "x") == "echo x"


def test_check_output_fails_with_the_nodes_name_the_command_and_its_last_line():
    with pytest.raises(CommandFailed, match=r"`false` failed on manager \(exit 1"):
        Echo(status=1).check_output("false")


def test_parallel_gives_every_item_its_value_or_its_exception_and_strict_raises():
    def fn(item):
        if item == 2:
            raise ValueError("two")
        return item * 10

    found = parallel(fn, [1, 2, 3])
    assert found[1] == 10 and found[3] == 30 and isinstance(found[2], ValueError)
    with pytest.raises(ValueError, match="two"):
        parallel(fn, [1, 2, 3], strict=True)


def test_a_recording_keeps_every_command_and_page_with_secrets_masked(tmp_path):
    recording = Recording("two")
    cluster = two_nodes().recorded(recording, Masker("lemp-pass"))
    cluster.run("manager", "echo %s", f"{TOKEN} lemp-pass")
    assert cluster.page("manager") == Answer(200, "<h1>Хост - php-fpm-manager</h1>")
    with pytest.raises(FetchFailed):
        cluster.page("worker-1")
    recording.save(tmp_path / "two.json.gz")
    text = (tmp_path / "two.json.gz").read_bytes()
    kept = Recording.load(tmp_path / "two.json.gz")
    assert b"lemp-pass" not in text and TOKEN not in str(kept.exchanges)
    assert kept.exchanges[0]["command"] == "echo 'SWMTKN-1-******** ********'"
    assert kept.exchanges[1:] == [
        {"web": "manager", "path": "/", "status": 200, "body": "<h1>Хост - php-fpm-manager</h1>"},
        {"web": "worker-1", "path": "/", "error": "refused"},
    ]
    assert [n["name"] for n in kept.inventory["nodes"]] == ["manager", "worker-1"]


def test_a_replayed_cluster_answers_what_was_recorded_in_turn_and_refuses_anything_else():
    recording = Recording(
        "turns",
        inventory={"nodes": [{"name": "manager", "role": "manager"}]},
        exchanges=[
            {"node": "manager", "command": "date", "exit": 0, "stdout": "one\n", "stderr": ""},
            {"node": "manager", "command": "date", "exit": 0, "stdout": "two\n", "stderr": ""},
            {"web": "manager", "path": "/", "error": "slow-answer"},
        ],
    )
    cluster = replayed(recording)
    assert [cluster.run("manager", "date").stdout for _ in range(3)] == ["one\n", "two\n", "one\n"]
    with pytest.raises(ReplayMiss, match="no answer on manager for `docker service scale x=1`"):
        cluster.run("manager", "docker service scale %s", "x=1")
    with pytest.raises(FetchFailed) as failed:
        cluster.page("manager")
    assert failed.value.kind == "slow-answer"
    with pytest.raises(ReplayMiss):
        cluster.node("manager").put(None, "/tmp/x")


def test_a_node_recorded_unreachable_is_unreachable_again_with_its_reason():
    recording = Recording(
        "gone",
        inventory={"nodes": [{"name": "manager", "address": "10.9.9.9", "role": "manager"}]},
        exchanges=[
            {
                "node": "manager",
                "unreachable": {"reason": "refused", "params": {"where": "10.9.9.9:22", "host": "10.9.9.9"}},
            }
        ],
    )
    with pytest.raises(NodeUnreachable) as err:
        replayed(recording).run("manager", "true")
    assert err.value.reason == "refused"
    assert err.value.render("ru").startswith("соединение с 10.9.9.9:22 отклонено")


def test_a_command_log_sees_every_command_before_it_is_sent():
    seen = []
    cluster = two_nodes().wrapped(lambda node: CommandLog(node, lambda name, command: seen.append((name, command))))
    cluster.map(lambda name: cluster.run(name, "hostname"))
    assert sorted(seen) == [("manager", "hostname"), ("worker-1", "hostname")]
