"""The agent backend: a node reached through the lab's Portainer-agent stand-in on its port 9001.

The panel stand-in runs inside the cluster, where there is no SSH key, only the
agents on `agent_network` (one per node, the docker socket mounted), as the
real Portainer reads a swarm. Each agent runs the read side's commands and
nothing else: it refuses what the read-only guard refuses, so the panel reads
the cluster exactly as the checks do and can change nothing.

    POST /run {"command": "...", "timeout": 60}  ->  {"exit": 0, "stdout": "...", "stderr": "..."}
    GET  /hostname                               ->  the node's hostname
"""

import requests

from ..errors import NodeUnreachable
from .base import Node

PORT = 9001


class AgentNode(Node):
    def __init__(self, name: str, address: str, timeout: float = 10):
        self.name, self.address, self.timeout = name, address, timeout

    def _exec(self, command, on_out, on_err, timeout, stdin) -> int:
        try:
            answer = requests.post(f"http://{self.address}:{PORT}/run", json={"command": command, "timeout": timeout},
                                   timeout=(self.timeout, timeout + 5))
        except requests.RequestException as err:
            raise NodeUnreachable(self.name, "agent", f"the agent at {self.address}:{PORT} does not answer "
                                                      f"({type(err).__name__})") from None
        if answer.status_code != 200:
            raise NodeUnreachable(self.name, "agent", f"the agent refused: {answer.text.strip()[:200]}")
        done = answer.json()
        on_out(done["stdout"].encode())
        on_err(done["stderr"].encode())
        return done["exit"]


def hostname(address: str, timeout: float = 5) -> str:
    return requests.get(f"http://{address}:{PORT}/hostname", timeout=timeout).text.strip()
