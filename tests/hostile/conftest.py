"""Students who attack: fake hosts on loopback answering a recorded cluster that a test has edited with payloads.

Each test gets its own addresses (127.202.x.y), an SSH server per node on port 2222 and a web server on port 80
(CI runs as root), and a roster or inventory naming them; what the real `swarmlab` does with them is then held
to the threat model (SECURITY.md). No lab is needed.
"""

import copy
import itertools
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Optional

import pytest

from swarmlab.lab import keys
from swarmlab.state import templates as T
from swarmlab.state.reads import sections
from swarmlab.transport import inventory
from swarmlab.transport.inventory import Inventory, NodeSpec
from swarmlab.transport.recording import Recording

from ..conftest import RECORDINGS
from ..fakes import web
from ..fakes.recorded import RecordedCluster
from ..fakes.sshd import SSHServer

PORT = 2222
HEALTHY = RECORDINGS / "healthy.26.1.json.gz"
_numbers = itertools.count(1)


def fresh_address() -> str:
    number = next(_numbers)
    return f"127.202.{number // 250}.{number % 250 + 1}"


def edited(recording: Recording, node: str, section: str, change: Callable[[list], list]) -> Recording:
    """The recording with one section of a node's batched reads (manager's or node's) made by `change`, which takes
    and gives the section's JSON objects."""
    found = Recording(
        recording.name,
        recording.description,
        recording.engine,
        copy.deepcopy(recording.inventory),
        copy.deepcopy(recording.exchanges),
    )
    for exchange in found.exchanges:
        read = T.matched(exchange.get("command", "")) if exchange.get("node") == node else None
        if read is None or read[0] not in (T.MANAGER, T.NODE, T.MANAGER_CLI, T.NODE_CLI):
            continue
        parts = sections(exchange["stdout"])
        if section not in parts:
            continue
        objects = change([json.loads(line) for line in parts[section]])
        parts[section] = [json.dumps(o) for o in objects]
        exchange["stdout"] = "".join(
            f"@@ {name}\n" + "".join(f"{line}\n" for line in lines) for name, lines in parts.items()
        )
    return found


@dataclass
class Student:
    id: str
    addresses: dict  # {node name: fake address}
    inventory: Path
    roster_row: list


class Students:
    def __init__(self, folder: Path):
        self.folder = folder
        self.client = keys.ed25519("hostile tests")
        self.key = folder / "class_ed25519"
        self.key.write_bytes(self.client.private)
        self.key.chmod(0o600)
        self.known_hosts = folder / "known_hosts"
        self.known_hosts.touch()
        self.ssh = SSHServer().start()
        self.web = web.WebServer().start()
        self.made = 0

    def add(
        self,
        recording: Recording,
        pages: Optional[dict] = None,
        misbehaviour: Optional[dict] = None,
        known: bool = True,
    ) -> Student:
        """A student whose cluster answers as `recording`; `pages` {node: callable(path)} and `misbehaviour`
        {node: Misbehaviour} override what the recording does."""
        self.made += 1
        names = [n["name"] for n in sorted(recording.inventory["nodes"], key=lambda n: n.get("role") != "manager")]
        addresses = {name: fresh_address() for name in names}
        served = RecordedCluster(recording, addresses)
        specs = []
        for name in names:
            pair = keys.ed25519(name)
            self.ssh.add(
                served.ssh_host(
                    name, pair.private, (self.client.public,), PORT, misbehaviour=(misbehaviour or {}).get(name)
                )
            )
            if known:
                with open(self.known_hosts, "a") as out:
                    out.write(keys.known_hosts_line(addresses[name], PORT, pair.public))
            page = (pages or {}).get(name) or served.pages(name)
            if page is not None:
                self.web.add(web.WebHost(addresses[name], page))
            specs.append(
                NodeSpec(
                    name,
                    addresses[name],
                    "manager" if name == names[0] else "worker",
                    PORT,
                    "root",
                    self.key,
                    self.known_hosts,
                )
            )
        path = self.folder / f"inventory-{self.made}.yaml"
        inventory.dump(Inventory(nodes=tuple(specs), path=path), path)
        sid = f"s{self.made:02d}"
        row = [
            sid,
            f"Student {sid}",
            addresses[names[0]],
            "root",
            PORT,
            self.key,
            ";".join(addresses[n] for n in names[1:]),
        ]
        return Student(sid, addresses, path, row)

    def roster(self, *students: Student, workers: bool = True) -> Path:
        path = self.folder / "roster.csv"
        lines = ["id,name,manager,user,port,key,workers,idnumber"]
        for student in students:
            row = list(student.roster_row)
            row[-1] = row[-1] if workers else ""
            lines.append(",".join(str(cell) for cell in [*row, f"id-{student.id}"]))
        path.write_text("\n".join(lines) + "\n")
        return path

    def stop(self) -> None:
        self.ssh.stop()
        self.web.stop()


@pytest.fixture
def students(tmp_path):
    made = Students(tmp_path)
    yield made
    made.stop()


@pytest.fixture
def healthy() -> Recording:
    return Recording.load(HEALTHY)


@pytest.fixture
def another_healthy() -> Recording:
    """A healthy cluster of another lab: its own swarm, CA and nodes."""
    return Recording.load(RECORDINGS / "healthy.20.10.json.gz")
