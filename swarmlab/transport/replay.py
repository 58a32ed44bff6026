"""The replay backend: a recorded cluster answers again, without Docker, SSH or a network.

A command gets the answer recorded for exactly that command on that node (in
turn, when it was run several times); anything the recording does not hold is
refused with ReplayMiss, so a replayed check can never run a command that was
not run, and read, on the live cluster.
"""

import itertools
import threading
from collections import defaultdict

from ..errors import NodeUnreachable, ReplayMiss
from ..secrets import shaped
from .base import Node
from .recording import Recording
from .web import Answer, FetchFailed, key


class _Answers:
    """The recorded answers per key, served in recorded order and then round again."""

    def __init__(self):
        self._lists = defaultdict(list)
        self._cycles = {}
        self._lock = threading.Lock()

    def add(self, key, answer) -> None:
        self._lists[key].append(answer)

    def next(self, key):
        with self._lock:
            if key not in self._lists:
                return None
            if key not in self._cycles:
                self._cycles[key] = itertools.cycle(self._lists[key])
            return next(self._cycles[key])


class ReplayCluster:
    """What one recording holds, shared by its nodes and its browser."""

    def __init__(self, recording: Recording):
        self.recording = recording
        self.commands, self.pages = _Answers(), _Answers()
        self.unreachable: dict = {}
        self.puts: set = set()
        for exchange in recording.exchanges:
            if "command" in exchange:
                self.commands.add((exchange["node"], exchange["command"]), exchange)
            elif "unreachable" in exchange:
                self.unreachable.setdefault(exchange["node"], exchange["unreachable"])
            elif "web" in exchange:
                self.pages.add((exchange["web"], exchange["path"]), exchange)
            elif "put" in exchange:
                self.puts.add((exchange["node"], exchange["put"]))

    def node(self, spec) -> "ReplayNode":
        return ReplayNode(spec, self)

    def browser(self) -> "ReplayBrowser":
        return ReplayBrowser(self)


class ReplayNode(Node):
    def __init__(self, spec, replay: ReplayCluster):
        self.spec, self.name, self.replay = spec, spec.name, replay

    def connect(self) -> "ReplayNode":
        failure = self.replay.unreachable.get(self.name)
        if failure is not None:
            raise NodeUnreachable(
                f"{self.spec.name} ({self.spec.address})", failure["reason"], **failure.get("params", {})
            )
        return self

    def _exec(self, command, on_out, on_err, timeout, stdin) -> int:
        self.connect()
        answer = self.replay.commands.next((self.name, shaped(command)))
        if answer is None:
            raise ReplayMiss(
                f"recording {self.replay.recording.name!r} holds no answer on {self.name} for "
                f"`{command[:120]}`: record the cluster again (make recordings)"
            )
        on_out(answer["stdout"].encode())
        on_err(answer["stderr"].encode())
        return answer["exit"]

    def put(self, local, remote) -> None:
        if (self.name, remote) not in self.replay.puts:
            raise ReplayMiss(
                f"recording {self.replay.recording.name!r} holds no copy of {remote} to {self.name}: "
                f"record the cluster again (make recordings)"
            )


class ReplayBrowser:
    def __init__(self, replay: ReplayCluster):
        self.replay = replay

    def get(
        self, node: str, address: str, path: str = "/", timeout: float = 5, scheme: str = "http", port=None
    ) -> tuple:
        path = key(path, scheme, port)
        answer = self.replay.pages.next((node, path))
        if answer is None:
            raise ReplayMiss(
                f"recording {self.replay.recording.name!r} holds no page {path} of {node}: "
                f"record the cluster again (make recordings)"
            )
        if "error" in answer:
            raise FetchFailed(answer["error"])
        return Answer(answer["status"], answer["body"], answer.get("location"))
