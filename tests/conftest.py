"""Fixtures shared by the harness's tests.

Lab tests run for real (in CI too): when the engine cannot be had they fail,
they never skip. Each lab a test starts has a name of its own, so a student's
`make demo` lab survives `make test`.
"""

import os
import socket
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from labs import engine
from labs.lab import Lab

ROOT = Path(__file__).resolve().parent.parent
SWARMLAB = str(Path(sys.executable).parent / "swarmlab")


@pytest.fixture(scope="session")
def docker_client():
    return engine.connect()


@pytest.fixture(scope="session")
def lab(docker_client):
    """The suite's 3-node lab, fresh for this run and removed after it."""
    lab = Lab(os.environ.get("SWARMLAB_TEST_LAB", "swarmlab-test"), docker_client)
    lab.down()
    lab.up(nodes=3)
    yield lab
    lab.down()


@pytest.fixture(scope="session")
def lab_inventory(lab):
    from labs import inventory

    return inventory.load(lab.inventory_path)


@pytest.fixture(scope="session")
def lesson_run(lab):
    """`swarmlab lesson run --lesson-order` on the fresh lab, once: the cluster most tests read."""
    done = swarmlab("lesson", "run", "--lab", lab.name, "--lesson-order", "--verbose", timeout=900)
    assert done.returncode == 0, done.stdout + done.stderr
    return done


@pytest.fixture
def cluster(lab_inventory):
    from labs.cluster import Cluster

    with Cluster(lab_inventory) as cluster:
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


def swarmlab(*args, env=None, timeout=600):
    """Run the CLI as a user would; returns the CompletedProcess."""
    return subprocess.run([SWARMLAB, *args], capture_output=True, text=True, timeout=timeout,
                          env={**os.environ, **(env or {})}, stdin=subprocess.DEVNULL)


def assert_one_clear_line(done, exit_code, *words):
    """A refused command prints one line naming problem and fix, and no traceback."""
    assert done.returncode == exit_code, (done.returncode, done.stdout, done.stderr)
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, done.stderr
    assert "Traceback" not in done.stderr + done.stdout
    for word in words:
        assert word in lines[0], lines[0]
