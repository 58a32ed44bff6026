"""A cluster's answers, kept as test data: every command run on a node and every page fetched, with what came back.

Recording a live cluster while the checks read it gives a file that the replay
backend serves later without Docker, SSH or a lab, so every check can be tried
in milliseconds against states this machine cannot build (IPVS, other engine
versions, a student's odd cluster). Secrets are masked before anything is kept.

    {"version": 1, "name": "...", "description": "...", "engine": "20.10.24",
     "inventory": {"endpoint_mode": "auto", "images": {"gateway": "..."},
                   "nodes": [{"name": "manager", "address": "...", "role": "manager"}]},
     "exchanges": [{"node": "manager", "command": "...", "exit": 0, "stdout": "...", "stderr": ""},
                   {"node": "worker-2", "unreachable": {"reason": "refused", "params": {...}}},
                   {"node": "worker-1", "put": "/tmp/swarmlab-sync-.../lemp1/up.sh"},
                   {"web": "manager", "path": "/", "status": 200, "body": "..."},
                   {"web": "worker-1", "path": "/", "error": "timeout"}]}
"""

import gzip
import json
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, Optional

from ..errors import NodeUnreachable, RecordingError
from .base import Node
from .web import FetchFailed, key

VERSION = 1


@dataclass
class Recording:
    name: str
    description: str = ""
    engine: str = ""
    inventory: dict = field(default_factory=dict)
    exchanges: list = field(default_factory=list)
    recorded_at: str = field(default_factory=lambda: datetime.now(timezone.utc).isoformat(timespec="seconds"))
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    def add(self, exchange: dict) -> None:
        with self._lock:
            self.exchanges.append(exchange)

    def commands(self) -> list:
        return [e for e in self.exchanges if "command" in e]

    def as_dict(self) -> dict:
        return {
            "version": VERSION,
            "name": self.name,
            "description": self.description,
            "engine": self.engine,
            "recorded_at": self.recorded_at,
            "inventory": self.inventory,
            "exchanges": self.exchanges,
        }

    def save(self, path: Path) -> None:
        """Written as gzip'd JSON when the name ends in .gz: a cluster's inspect output is large."""
        text = json.dumps(self.as_dict(), ensure_ascii=False, indent=1) + "\n"
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(path.name + ".tmp")
        if path.suffix == ".gz":
            with gzip.open(tmp, "wt", encoding="utf-8") as out:
                out.write(text)
        else:
            tmp.write_text(text, encoding="utf-8")
        tmp.replace(path)

    @classmethod
    def load(cls, path) -> "Recording":
        path = Path(path)
        try:
            opener = gzip.open if path.suffix == ".gz" else open
            with opener(path, "rt", encoding="utf-8") as source:
                data = json.load(source)
        except (OSError, ValueError) as err:
            raise RecordingError(f"{path}: not a recording swarmlab can read ({err}): record it again") from None
        if data.get("version") != VERSION or not isinstance(data.get("exchanges"), list):
            raise RecordingError(f"{path}: recording version {data.get('version')!r} is not {VERSION}: record it again")
        return cls(
            name=data.get("name") or path.stem,
            description=data.get("description", ""),
            engine=data.get("engine", ""),
            inventory=data.get("inventory") or {},
            exchanges=data["exchanges"],
            recorded_at=data.get("recorded_at", ""),
        )


class RecordingNode(Node):
    """Another backend's node, with every exchange appended to a Recording (masked)."""

    def __init__(self, inner: Node, recording: Recording, mask: Callable[[str], str]):
        self.inner, self.recording, self.mask = inner, recording, mask
        self.name = inner.name

    def connect(self) -> "RecordingNode":
        try:
            self.inner.connect()
        except NodeUnreachable as err:
            self._unreachable(err)
            raise
        return self

    def _exec(self, command, on_out, on_err, timeout, stdin) -> int:
        out, err = bytearray(), bytearray()

        def both(buffer, callback):
            def write(data):
                buffer.extend(data)
                callback(data)

            return write

        try:
            status = self.inner._exec(command, both(out, on_out), both(err, on_err), timeout, stdin)
        except NodeUnreachable as error:
            self._unreachable(error)
            raise
        self.recording.add(
            {
                "node": self.name,
                "command": self.mask(command),
                "exit": status,
                "stdout": self.mask(out.decode(errors="replace")),
                "stderr": self.mask(err.decode(errors="replace")),
            }
        )
        return status

    def _unreachable(self, err: NodeUnreachable) -> None:
        params = {k: self.mask(str(v)) for k, v in getattr(err, "params", {}).items()}
        self.recording.add({"node": self.name, "unreachable": {"reason": err.reason, "params": params}})

    def put(self, local: Path, remote: str) -> None:
        self.inner.put(local, remote)
        self.recording.add({"node": self.name, "put": remote})

    def close(self) -> None:
        self.inner.close()

    def address(self):
        return self.inner.address()


class CommandLog(Node):
    """Another backend's node, telling `sink(node, command)` of every command before it is sent."""

    def __init__(self, inner: Node, sink: Callable[[str, str], None]):
        self.inner, self.sink, self.name = inner, sink, inner.name

    def connect(self) -> "CommandLog":
        self.inner.connect()
        return self

    def _exec(self, command, on_out, on_err, timeout, stdin) -> int:
        self.sink(self.name, command)
        return self.inner._exec(command, on_out, on_err, timeout, stdin)

    def put(self, local: Path, remote: str) -> None:
        self.inner.put(local, remote)

    def close(self) -> None:
        self.inner.close()

    def address(self):
        return self.inner.address()


def jsonl_sink(path: Path, **extra) -> Callable[[str, str], None]:
    """A CommandLog sink appending {**extra, "at", "node", "command"} lines to a file: when each command left, so
    that the reads' pace can be measured from the log alone."""
    lock = threading.Lock()

    def write(node: str, command: str) -> None:
        line = json.dumps({**extra, "at": round(time.time(), 3), "node": node, "command": command})
        with lock, open(path, "a") as out:
            out.write(line + "\n")

    return write


class RecordingBrowser:
    """Another browser, with every page it fetched (or why it could not) appended to a Recording."""

    def __init__(self, inner, recording: Recording, mask: Callable[[str], str]):
        self.inner, self.recording, self.mask = inner, recording, mask

    def get(
        self, node: str, address: str, path: str = "/", timeout: float = 5, scheme: str = "http", port=None
    ) -> tuple:
        where = key(path, scheme, port)
        try:
            answer = self.inner.get(node, address, path, timeout, scheme, port)
        except FetchFailed as failed:
            self.recording.add({"web": node, "path": where, "error": failed.kind})
            raise
        kept = {"web": node, "path": where, "status": answer.status, "body": self.mask(answer.body)}
        self.recording.add({**kept, "location": self.mask(answer.location)} if answer.location else kept)
        return answer


def first_unreachable(recording: Recording, node: str) -> Optional[dict]:
    return next((e["unreachable"] for e in recording.exchanges if e.get("node") == node and "unreachable" in e), None)
