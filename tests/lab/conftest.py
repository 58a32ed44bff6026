"""Fixtures of the lab tests: a fresh 3-node lab for the run, the lesson performed on it once.

Each lab a test starts has a name of its own, so a student's `make demo` lab
survives `make test`.
"""

import os
import shutil
import socket
import threading
from contextlib import contextmanager

import pytest

from swarmlab.lab import DEFAULT_ENGINE, engine, host
from swarmlab.lab.lab import Lab
from swarmlab.transport import inventory
from swarmlab.transport.factory import over_ssh

from ..conftest import swarmlab

pytestmark = pytest.mark.lab


@pytest.fixture(scope="session")
def chromium() -> str:
    """Debian's Chromium, installed when missing: Playwright cannot download a browser here."""
    host.require_commands({"chromium": "chromium"})
    return shutil.which("chromium")


@pytest.fixture(scope="session")
def docker_client():
    return engine.connect()


ENGINE = os.environ.get("SWARMLAB_TEST_ENGINE") or DEFAULT_ENGINE


@contextmanager
def fresh_lab(docker_client, name: str, nodes: int):
    """A lab of its own, on the engine under test, made afresh and removed after."""
    made = Lab(name, docker_client)
    made.down()
    made.up(nodes=nodes, engine=ENGINE)
    try:
        yield made
    finally:
        made.down()


@pytest.fixture(scope="session")
def lab(docker_client):
    """The suite's 3-node lab on the engine under test, fresh for this run and removed after it."""
    with fresh_lab(docker_client, os.environ.get("SWARMLAB_TEST_LAB", "swarmlab-test"), 3) as made:
        yield made


@pytest.fixture(scope="session")
def lab_inventory(lab):
    return inventory.load(lab.inventory_path)


@pytest.fixture(scope="session")
def lesson_run(lab):
    """`swarmlab lesson run --lesson-order` on the fresh lab, once: the cluster most tests read."""
    done = swarmlab("lesson", "run", "--lab", lab.name, "--lesson-order", "--verbose", timeout=900)
    assert done.returncode == 0, done.stdout + done.stderr
    return done


@pytest.fixture
def cluster(lab_inventory):
    with over_ssh(lab_inventory) as cluster:
        yield cluster


def pytest_collection_modifyitems(items):
    """Tests that dismantle the lesson's cluster run after every test that reads it."""
    items.sort(key=lambda item: item.get_closest_marker("dismantles") is not None)


@pytest.fixture(scope="session")
def silent_port():
    """A port on 127.0.0.1 that accepts connections and never says a word: an SSH server that hangs."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    held = []
    stop = threading.Event()

    def accept():
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(server.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield server.getsockname()[1]
    stop.set()
    thread.join()
    for conn in held:
        conn.close()
    server.close()
