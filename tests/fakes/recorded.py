"""A recorded cluster served again by fake hosts, at addresses of this machine, exactly as it answered.

A command is answered as the replay backend answers it (swarmlab's own
ReplayCluster: that node, that exact text, in recorded order, then round
again); anything else exits 127 saying it is not in the recording. The lab's
node addresses are everywhere in what a cluster says (Status.Addr,
RemoteManagers, the probes' ping targets), so they are rewritten to the fake
ones on the way out and back on the way in: a grader reads the fake addresses,
sends them back in its probes, and gets the recorded answers. Given a `salt`
(a student's number), what makes the swarm itself (its cluster ID, its nodes'
IDs, its CA) is rewritten the same way, so that each student of a class has a
swarm of their own, as a real class does, and none looks handed in twice. A
node recorded unreachable misbehaves the way that reason arises on the wire.
"""

import ipaddress
import re
from typing import Callable, Optional

from swarmlab.lab import keys
from swarmlab.state import reads, templates
from swarmlab.transport.recording import Recording
from swarmlab.transport.replay import ReplayCluster

from . import sshd, web
from .sshd import Misbehaviour

# what swarmlab's SSH backend calls a failure -> what a fake host does to cause it
MISBEHAVIOURS = {
    "refused": Misbehaviour.REFUSE,
    "timeout": Misbehaviour.SILENT,
    "auth": Misbehaviour.AUTH_REFUSED,
    "dropped": Misbehaviour.DROP_HANDSHAKE,
    "not-ssh": Misbehaviour.NOT_SSH,
    "command-timeout": Misbehaviour.HANG_COMMAND,
}
OTHER_KEY = ("host-key-changed", "host-key-unknown")  # a fake host presents a key known_hosts does not hold
# what the Browser called a failed fetch -> what a listening fake web server does to cause it
FETCH_FAILURES = {"slow-answer": web.Silent(), "reset": web.Reset(), "refused": web.Reset()}


class RecordedCluster:
    """One recording at the fake addresses `addresses` ({node name: address}); each node's answers in turn."""

    def __init__(self, recording: Recording, addresses: dict, salt: Optional[int] = None):
        self.recording = recording
        self.replay = ReplayCluster(recording)
        self.addresses = dict(addresses)
        lab = {n["name"]: n.get("address", "") for n in recording.inventory.get("nodes", [])}
        to_fake = {lab[name]: fake for name, fake in self.addresses.items() if _ipv4(lab.get(name, ""))}
        own = {value: _salted(value, salt) for value in _identity(recording)} if salt is not None else {}
        addresses_out, addresses_in = _rewriter(to_fake), _rewriter({fake: a for a, fake in to_fake.items()})
        ids_out, ids_in = _replacer(own), _replacer({fake: value for value, fake in own.items()})
        self.to_fake = lambda text: ids_out(addresses_out(text))
        self.to_lab = lambda text: ids_in(addresses_in(text))

    @property
    def names(self) -> tuple:
        return tuple(n["name"] for n in self.recording.inventory.get("nodes", []))

    def misbehaviour(self, node: str) -> Optional[Misbehaviour]:
        failure = self.replay.unreachable.get(node)
        if failure is None or failure["reason"] in OTHER_KEY:
            return None
        if failure["reason"] not in MISBEHAVIOURS:
            raise ValueError(
                f"{self.recording.name}: {node} was recorded unreachable ({failure['reason']}), "
                f"which no fake host can cause: serve another recording"
            )
        return MISBEHAVIOURS[failure["reason"]]

    def known(self, node: str) -> bool:
        """Whether known_hosts should list the node's key: not when it was recorded as an unknown host key."""
        return (self.replay.unreachable.get(node) or {}).get("reason") != "host-key-unknown"

    def answer(self, node: str) -> sshd.Answer:
        """The node's answers: exactly what was recorded for each command (in the recording's own addresses)."""

        def respond(command: str, stdin: bytes) -> tuple:
            command = self.to_lab(command)
            exchange = self.replay.commands.next((node, command))
            earlier = templates.cli_form(command) if exchange is None else None
            if earlier is not None:  # a recording made before the read asked the Engine API, as ReadOnlyNode
                exchange = self.replay.commands.next((node, earlier))
            if exchange is None:
                return (
                    127,
                    b"",
                    (f"sh: `{command[:120]}` is not in the recording {self.recording.name!r} of {node}\n").encode(),
                )
            status, out, err = exchange["exit"], exchange["stdout"], exchange["stderr"]
            return status, self.to_fake(out).encode(), self.to_fake(err).encode()

        return respond

    def pages(self, node: str) -> Optional[Callable[[str], web.WebAnswer]]:
        """The node's recorded pages in turn; None when nothing listened on its port 80 (every fetch refused)."""
        fetched = [e for e in self.recording.exchanges if e.get("web") == node]
        if fetched and all(e.get("error") == "refused" for e in fetched):
            return None

        def page(path: str) -> web.WebAnswer:
            exchange = self.replay.pages.next((node, path))
            if exchange is None:
                return web.Page(404, f"{path} of {node} is not in the recording {self.recording.name!r}\n".encode())
            if "error" in exchange:
                return FETCH_FAILURES[exchange["error"]]
            return web.Page(exchange["status"], self.to_fake(exchange["body"]).encode())

        return page

    def ssh_host(
        self,
        node: str,
        host_key,
        authorized: tuple,
        port: int = 22,
        latency: float = 0.0,
        misbehaviour: Optional[Misbehaviour] = None,
    ) -> sshd.Host:
        """The node as an SSH server; `host_key` (an OpenSSH private key) is the one known_hosts lists, and another
        is presented when the recording says the key had changed or was unknown."""
        recorded = self.replay.unreachable.get(node) or {}
        if recorded.get("reason") in OTHER_KEY:
            host_key = keys.ed25519().private
        return sshd.Host(
            self.addresses[node],
            port,
            sshd.private_key(host_key),
            tuple(authorized),
            self.answer(node),
            misbehaviour or self.misbehaviour(node),
            latency,
        )

    def web_host(self, node: str, latency: float = 0.0) -> Optional[web.WebHost]:
        pages = self.pages(node)
        return None if pages is None else web.WebHost(self.addresses[node], pages, latency=latency)


def _ipv4(text: str) -> bool:
    try:
        return isinstance(ipaddress.ip_address(text), ipaddress.IPv4Address)
    except ValueError:
        return False


def _identity(recording: Recording) -> list:
    """The recorded swarm's cluster ID, its nodes' IDs and a piece of its CA certificate's serial number, as they
    appear in what its manager answered."""
    found: set = set()
    for exchange in recording.exchanges:
        if any(t.match(exchange.get("command", "")) is not None for t in (templates.MANAGER, templates.MANAGER_CLI)):
            view = reads.parse_manager(exchange.get("stdout", ""))
            found.update(view.identity["nodes"])
            found.add(view.info.cluster_id or "")
            for node in view.nodes:
                body = (node.trust_root or "").strip().splitlines()[1:2]
                if body and len(body[0]) >= 32:
                    found.add(body[0][20:32])
    return sorted(value for value in found if len(value) >= 12)


def _salted(value: str, salt: int) -> str:
    """`value` made a student's own: its end replaced by the student's number in base 36 (the IDs' alphabet, and
    base64's), its length kept."""
    digits = ""
    while True:
        salt, digit = divmod(salt, 36)
        digits = "0123456789abcdefghijklmnopqrstuvwxyz"[digit] + digits
        if not salt:
            break
    tag = digits.rjust(5, "0")
    return value[: -len(tag)] + tag


def _replacer(mapping: dict) -> Callable[[str], str]:
    """Every occurrence of a key of `mapping` replaced by its value (the keys are random IDs: no boundaries)."""
    if not mapping:
        return lambda text: text
    pattern = re.compile("|".join(re.escape(key) for key in sorted(mapping, key=len, reverse=True)))
    return lambda text: pattern.sub(lambda found: mapping[found.group(0)], text)


def _rewriter(mapping: dict) -> Callable[[str], str]:
    """Every whole IPv4 address in `mapping` replaced by its value (172.18.0.2 is not a part of 172.18.0.20)."""
    if not mapping:
        return lambda text: text
    pattern = re.compile(
        r"(?<![\w.])(" + "|".join(re.escape(a) for a in sorted(mapping, key=len, reverse=True)) + r")(?!\w|\.\d)"
    )
    return lambda text: pattern.sub(lambda found: mapping[found.group(1)], text)
