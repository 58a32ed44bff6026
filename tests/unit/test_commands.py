"""The write side: what a command's failure means to the lesson driver, in Docker's words."""

import pytest

from swarmlab.errors import StepFailed
from swarmlab.lesson.commands import Admin
from swarmlab.secrets import Masker
from swarmlab.transport.base import Node
from swarmlab.transport.cluster import Cluster
from swarmlab.transport.inventory import Inventory, NodeSpec

# what docker stack rm prints when swarmkit refuses the stack's network to a task not yet told to stop
RACED = (
    "Removing service portainer_agent\nRemoving service portainer_portainer\nRemoving network portainer_agent_network\n"
    "Failed to remove network kq3m4wnpv8mtsyneyq60: Error response from daemon: rpc error: code = FailedPrecondition "
    "desc = network kq3m4wnpv8mtsyneyq60 is in use by task 0tob088106voz1cjtchdp2egdfailed to remove some resources "
    "from stack: portainer"
)


class Scripted(Node):
    """A manager answering each command with the next (exit status, stderr) of its script."""

    name = "manager"

    def __init__(self, *answers):
        self.answers, self.sent = list(answers), []

    def _exec(self, command, on_out, on_err, timeout, stdin):
        self.sent.append(command)
        status, said = self.answers.pop(0)
        on_err(said.encode())
        return status


def admin(node: Scripted) -> Admin:
    return Admin(Cluster(Inventory(nodes=(NodeSpec("manager", "10.0.0.1", "manager"),)), {"manager": node}), Masker())


def test_a_stack_rm_refused_its_network_by_a_stopping_task_says_the_network_is_left_for_later():
    node = Scripted((1, RACED), (0, ""))
    lesson = admin(node)
    assert lesson.stack_rm("portainer") is True
    assert lesson.stack_rm("portainer") is False
    assert node.sent == ["docker stack rm portainer"] * 2


def test_any_other_stack_rm_failure_stops_the_step_with_dockers_words():
    lesson = admin(Scripted((1, "Error response from daemon: This node is not a swarm manager.")))
    with pytest.raises(StepFailed, match="must run on a manager, and manager is not one"):
        lesson.stack_rm("portainer")
