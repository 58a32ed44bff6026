"""The agent backend: a node reached through the lab's Portainer-agent stand-in on its port 9001.

The panel stand-in runs inside the cluster, where there is no SSH key, only the agents on `agent_network` (one per
node, the docker socket mounted), as the real Portainer reads a swarm. Every request is signed with the secret the
panel and its agents share (AGENT_SECRET, Portainer's own variable for it), so an agent answers no one else on a
network any container may attach to; and an agent runs only the read side's templates (swarmlab.state.templates),
which it matches the command against, so the panel reads the cluster exactly as the checks do. A request that
carries a `write` field (who asked: the panel's user and a tag of their session, and a nonce) is matched against
the panel's write templates instead (swarmlab.lesson.writes), and nothing else: AgentNode, the read side's way
in, never sends that field, so a ReadOnlyNode over it still reaches only reads.

    POST /run  {"command": "...", "timeout": 60, "at": 1733.0}   X-Swarmlab-Signature: HMAC-SHA256(secret, body)
               ->  {"exit": 0, "stdout": "...", "stderr": "..."}
    POST /run  {"command": "docker service scale ...", "timeout": 60, "at": 1733.0,
                "write": {"user": "admin", "session": "1f2e3d4c5b6a", "nonce": "..."}}
    GET  /hostname                                                ->  the node's hostname
"""

import hashlib
import hmac
import http.client
import json
import re
import secrets
import time
from typing import Optional
from urllib.parse import urlparse

from ..errors import NodeUnreachable
from .base import Node, Result

PORT = 9001
SIGNATURE = "X-Swarmlab-Signature"
WINDOW = 60  # seconds a signed request stays good: a request overheard on agent_network cannot be replayed later
SECRET_ENV = "AGENT_SECRET"
WRITER = {
    "user": re.compile(r"[A-Za-z0-9._-]{1,64}"),
    "session": re.compile(r"[0-9a-f]{12}"),
    "nonce": re.compile(r"[0-9a-f]{32}"),
}


def signature(secret: bytes, body: bytes) -> str:
    return hmac.new(secret, body, hashlib.sha256).hexdigest()


def verified(secret: bytes, body: bytes, given: Optional[str], now: float) -> Optional[dict]:
    """The request's fields when it is signed with the secret and recent; None for anything else."""
    if not secret or not given or not hmac.compare_digest(signature(secret, body), given):
        return None
    try:
        asked = json.loads(body)
    except ValueError:
        return None
    at = asked.get("at") if isinstance(asked, dict) else None
    return asked if isinstance(at, (int, float)) and abs(now - at) <= WINDOW else None


def writer(asked: dict) -> Optional[dict]:
    """The `write` field of a verified request when each of its parts has its shape; None for anything else."""
    who = asked.get("write")
    if not isinstance(who, dict) or set(who) != set(WRITER):
        return None
    fits = all(isinstance(who[k], str) and pattern.fullmatch(who[k]) for k, pattern in WRITER.items())
    return who if fits else None


def _ask(name: str, host: str, secret: bytes, fields: dict, timeout: float) -> dict:
    """One signed POST /run: the agent's {"exit", "stdout", "stderr"}."""
    body = json.dumps({**fields, "timeout": timeout, "at": time.time()}).encode()
    conn = http.client.HTTPConnection(host, PORT, timeout=timeout + 5)
    try:
        conn.request("POST", "/run", body, {"Content-Type": "application/json", SIGNATURE: signature(secret, body)})
        answer = conn.getresponse()
        text = answer.read(16 * 1024 * 1024 + 4096)
    except (OSError, http.client.HTTPException) as err:
        raise NodeUnreachable(
            name, "agent", f"the agent at {host}:{PORT} does not answer ({type(err).__name__})"
        ) from None
    finally:
        conn.close()
    if answer.status != 200:
        raise NodeUnreachable(name, "agent", f"the agent refused: {text.decode(errors='replace')[:200]}")
    return json.loads(text)


class AgentNode(Node):
    def __init__(self, name: str, address: str, secret: bytes, timeout: float = 10):
        self.name, self.host, self.secret, self.timeout = name, address, secret, timeout

    def address(self) -> str:
        return self.host

    def _exec(self, command, on_out, on_err, timeout, stdin) -> int:
        done = _ask(self.name, self.host, self.secret, {"command": command}, timeout)
        on_out(done["stdout"].encode())
        on_err(done["stderr"].encode())
        return done["exit"]


def write(node: AgentNode, command: str, user: str, session: str, timeout: float = 60) -> Result:
    """A write template's text sent for the panel's user and session (a tag of it, never the cookie), once: the
    nonce makes an overheard request useless to send again."""
    who = {"user": user, "session": session, "nonce": secrets.token_hex(16)}
    if writer({"write": who}) is None:
        raise ValueError(f"not a panel user and session tag: {user[:64]!r}, {session[:64]!r}")
    done = _ask(node.name, node.host, node.secret, {"command": command, "write": who}, timeout)
    return Result(command, done["exit"], done["stdout"], done["stderr"])


def hostname(address: str, timeout: float = 5) -> str:
    conn = http.client.HTTPConnection(address, PORT, timeout=timeout)
    try:
        conn.request("GET", "/hostname")
        return conn.getresponse().read(256).decode(errors="replace").strip()
    finally:
        conn.close()


def endpoint(url: str) -> tuple:
    """(host, port) of Portainer's `-H tcp://tasks.agent:9001`, the panel's one way to the agents."""
    parsed = urlparse(url if "://" in url else f"tcp://{url}")
    if parsed.scheme not in ("tcp", "http", "https") or not parsed.hostname:
        raise ValueError(f"-H {url}: expected tcp://HOST:PORT, as in the lesson's tcp://tasks.agent:9001")
    return parsed.hostname, parsed.port or PORT
