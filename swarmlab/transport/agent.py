"""The agent backend: a node reached through the lab's Portainer-agent stand-in on its port 9001.

The panel stand-in runs inside the cluster, where there is no SSH key, only the
agents on `agent_network` (one per node, the docker socket mounted), as the
real Portainer reads a swarm. Each agent runs the read side's commands and
nothing else: it refuses what the read-only guard refuses, so the panel reads
the cluster exactly as the checks do and can change nothing.

    POST /run {"command": "...", "timeout": 60}  ->  {"exit": 0, "stdout": "...", "stderr": "..."}
    GET  /hostname                               ->  the node's hostname
"""

import json
import socket
from urllib.parse import urlparse

import requests

from ..errors import NodeUnreachable
from .base import Node
from .cluster import Cluster, parallel
from .inventory import Inventory, NodeSpec

PORT = 9001


class AgentNode(Node):
    def __init__(self, name: str, address: str, timeout: float = 10):
        self.name, self.host, self.timeout = name, address, timeout

    def address(self) -> str:
        return self.host

    def _exec(self, command, on_out, on_err, timeout, stdin) -> int:
        try:
            answer = requests.post(
                f"http://{self.host}:{PORT}/run",
                json={"command": command, "timeout": timeout},
                timeout=(self.timeout, timeout + 5),
            )
        except requests.RequestException as err:
            raise NodeUnreachable(
                self.name, "agent", f"the agent at {self.host}:{PORT} does not answer ({type(err).__name__})"
            ) from None
        if answer.status_code != 200:
            raise NodeUnreachable(self.name, "agent", f"the agent refused: {answer.text.strip()[:200]}")
        done = answer.json()
        on_out(done["stdout"].encode())
        on_err(done["stderr"].encode())
        return done["exit"]


def hostname(address: str, timeout: float = 5) -> str:
    return requests.get(f"http://{address}:{PORT}/hostname", timeout=timeout).text.strip()


def endpoint(url: str) -> tuple:
    """(host, port) of Portainer's `-H tcp://tasks.agent:9001`, the panel's one way to the agents."""
    parsed = urlparse(url if "://" in url else f"tcp://{url}")
    if parsed.scheme not in ("tcp", "http", "https") or not parsed.hostname:
        raise ValueError(f"-H {url}: expected tcp://HOST:PORT, as in the lesson's tcp://tasks.agent:9001")
    return parsed.hostname, parsed.port or PORT


def discover(host: str = "tasks.agent", port: int = PORT, timeout: float = 5) -> Cluster:
    """The swarm as its agents show it: `tasks.agent` resolves to one address per agent task (one per node),
    each agent names its node, and the manager is the node whose engine says it controls the swarm."""
    try:
        addresses = sorted({info[4][0] for info in socket.getaddrinfo(host, port, socket.AF_INET, socket.SOCK_STREAM)})
    except socket.gaierror as err:
        raise NodeUnreachable(
            host, "agent", f"{host} does not resolve ({err.strerror}): no agent runs on the panel's network"
        ) from None

    def ask(address):
        name = hostname(address, timeout)
        node = AgentNode(name, address, timeout)
        said = node.run("docker info --format '{{json .Swarm.ControlAvailable}}'", timeout=timeout + 10)
        return name, json.loads(said.stdout.strip() or "false") is True

    answers = {
        address: found for address, found in parallel(ask, addresses).items() if not isinstance(found, Exception)
    }
    if not answers:
        raise NodeUnreachable(
            host, "agent", f"none of the agents at {', '.join(map(str, addresses))} answered on port {port}"
        )
    managers = sorted(name for name, control in answers.values() if control)
    manager = managers[0] if managers else None
    specs = tuple(
        NodeSpec(name=name, address=address, role="manager" if name == manager else "worker")
        for address, (name, _) in sorted(answers.items(), key=lambda item: (item[1][0] != manager, item[1][0]))
    )
    if manager is None:
        raise NodeUnreachable(host, "agent", "no agent runs on a node that controls the swarm (a manager)")
    inventory = Inventory(nodes=specs)
    return Cluster(inventory, {spec.name: AgentNode(spec.name, spec.address, timeout) for spec in specs})
