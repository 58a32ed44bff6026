"""The docker half of a batched read, in one process on the node: the Engine API over its own socket.

On the embedded lab three nodes share two cores, and each docker CLI start costs about 40 ms of CPU: the
seventeen starts of a read were most of what a check waited for. This asks the same socket the same questions
from one python3 start and prints each answer as the CLI prints it with `--format "{{json .}}"`, in the order the
CLI prints them, under the same section markers (a volume keeps the API shape: labels as a map). Where the CLI
could answer otherwise it says nothing and exits 1, and the read asks the CLI as before: no docker CLI, another
daemon named by DOCKER_HOST or a context, no socket, no permission, no python3. A failure is then told in the
words of Docker.

The read side sends this file as it is (templates.api_or): standard library only, Python 3.6, only GET requests,
and no single quote, so that sh takes it as one quoted word.
"""

import http.client
import json
import os
import re
import shutil
import socket
import sys
from urllib.parse import quote

SOCKET = "/var/run/docker.sock"


class Unanswered(Exception):
    """The engine did not answer as the CLI expects: the read falls back to the CLI."""


class Engine(http.client.HTTPConnection):
    def __init__(self):
        http.client.HTTPConnection.__init__(self, "docker", timeout=30)

    def connect(self):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(30)
        self.sock.connect(SOCKET)

    def get(self, path, **query):
        """The JSON answered, or None where the engine refused: there the CLI prints nothing."""
        if query:
            path += "?" + "&".join(key + "=" + quote(value) for key, value in sorted(query.items()))
        self.request("GET", path)
        answer = self.getresponse()
        body = answer.read()
        if answer.status != 200:
            return None
        return json.loads(body.decode("utf-8"))


def natural(text):
    """The order the CLI gives names (sortorder.NaturalLess): runs of digits compare as numbers."""
    return [(0, int(run), "") if run.isdigit() else (1, 0, run) for run in re.split(r"(\d+)", text or "") if run]


def instant(stamp):
    """An RFC 3339 time as the engine writes it, comparable: nanoseconds have no fixed width."""
    whole, _, fraction = (stamp or "").rstrip("Z").partition(".")
    return whole, float("0." + (fraction or "0"))


def filters(**wanted):
    return json.dumps({key: {value: True for value in values} for key, values in wanted.items()})


def lines(objects):
    return [json.dumps(obj, separators=(",", ":")) for obj in objects]


def inspected(engine, path, ids, **query):
    """Each object by its id, as `docker inspect` does; one gone since it was listed is left out, as there."""
    found = (engine.get(path.replace("{}", quote(one)), **query) for one in ids)
    return [one for one in found if one is not None]


def stands_in_for_the_cli():
    """Whether the CLI is there and would ask this socket: no DOCKER_HOST, no context but the default. A node
    without the docker CLI is one the lesson cannot be typed on, and its check says so."""
    if shutil.which("docker") is None:
        return False
    if any(os.environ.get(name) for name in ("DOCKER_HOST", "DOCKER_CONTEXT", "DOCKER_CONFIG")):
        return False
    try:
        with open(os.path.expanduser("~/.docker/config.json")) as config:
            chosen = json.load(config).get("currentContext")
    except (OSError, ValueError, AttributeError):
        return True
    return chosen in (None, "", "default")


def info(engine):
    found = engine.get("/info")
    if not isinstance(found, dict):
        raise Unanswered("/info")
    return ["@@ info"] + lines([found])


def manager(engine):
    out = info(engine)
    nodes = engine.get("/nodes") or []
    nodes.sort(key=lambda n: natural((n.get("Description") or {}).get("Hostname")))
    out += ["@@ nodes"] + lines(inspected(engine, "/nodes/{}", [n["ID"] for n in nodes]))
    services = engine.get("/services") or []
    services.sort(key=lambda s: natural((s.get("Spec") or {}).get("Name")))
    out += ["@@ services"] + lines(
        inspected(engine, "/services/{}", [s["ID"] for s in services], insertDefaults="true")
    )
    out += ["@@ tasks"]
    if services:
        names = {s["ID"]: (s.get("Spec") or {}).get("Name", "") for s in services}
        tasks = engine.get("/tasks", filters=filters(service=sorted(names))) or []

        def name(task):
            return names.get(task.get("ServiceID"), "") + "." + str(task.get("Slot") or task.get("NodeID", ""))

        tasks.sort(key=lambda t: instant(t.get("UpdatedAt")), reverse=True)
        tasks.sort(key=lambda t: natural(name(t)))
        out += lines(inspected(engine, "/tasks/{}", [t["ID"] for t in tasks]))
    networks = engine.get("/networks") or []
    networks.sort(key=lambda n: natural(n.get("Name")))
    out += ["@@ networks"] + lines(inspected(engine, "/networks/{}", [n["Id"] for n in networks]))
    volumes = (engine.get("/volumes") or {}).get("Volumes") or []
    out += ["@@ volumes"] + lines(sorted(volumes, key=lambda v: natural(v.get("Name"))))
    return out


def node(engine):
    out = info(engine)
    out += ["@@ version"] + lines([v for v in [engine.get("/version")] if v is not None])
    containers = engine.get("/containers/json", all="1") or []
    out += ["@@ containers"] + lines(inspected(engine, "/containers/{}/json", [c["Id"] for c in containers]))
    volumes = (engine.get("/volumes") or {}).get("Volumes") or []
    out += ["@@ volumes"] + lines(sorted(volumes, key=lambda v: natural(v.get("Name"))))
    overlays = engine.get("/networks", filters=filters(driver=["overlay"])) or []
    overlays.sort(key=lambda n: natural(n.get("Name")))
    out += ["@@ networks"] + lines(inspected(engine, "/networks/{}", [n["Id"] for n in overlays], verbose="true"))
    return out


def main(argv):
    if len(argv) != 2 or argv[1] not in ("manager", "node") or not stands_in_for_the_cli():
        return 1
    engine = Engine()
    try:
        out = manager(engine) if argv[1] == "manager" else node(engine)
    except (OSError, ValueError, KeyError, TypeError, AttributeError, http.client.HTTPException, Unanswered):
        return 1
    finally:
        engine.close()
    sys.stdout.write("\n".join(out) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
