"""The local Docker engine that runs the embedded lab's node containers.

Machines without systemd (CI here) have no engine running, so swarmlab starts
dockerd itself: detached, with every output in a log file, so that nothing it
leaves behind holds a terminal or CI's pipes open.
"""

import os
import shutil
import signal
import subprocess
from pathlib import Path

import docker
from docker.errors import DockerException

from .. import ui
from ..errors import EngineError, TimedOut
from ..paths import state_dir
from ..waiting import until
from . import host

SOCKET = Path("/var/run/docker.sock")
START_TIMEOUT = 60
OPERATION_TIMEOUT = 600


def _engine_dir() -> Path:
    path = state_dir() / "engine"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _pidfile() -> Path:
    return _engine_dir() / "dockerd.pid"


def log_file() -> Path:
    return _engine_dir() / "dockerd.log"


def _started_pid():
    """The pid of a dockerd that swarmlab started and that still runs, else None."""
    try:
        pid = int(_pidfile().read_text().strip())
    except (OSError, ValueError):
        return None
    return pid if _alive(pid) else None


def _ping(timeout: float):
    """A client for the lab's work (removing a node's volume of images takes long on a busy machine), once the
    engine answered a ping within `timeout`."""
    try:
        docker.from_env(timeout=timeout).ping()
        return docker.from_env(timeout=OPERATION_TIMEOUT)
    except DockerException as err:
        return err
    except Exception as err:  # requests raises its own timeouts and connection errors
        return err


def connect(install: bool = True) -> docker.DockerClient:
    """Return a client of an answering engine, installing and starting one where we may."""
    answer = _ping(10)
    if isinstance(answer, docker.DockerClient):
        return answer
    where = os.environ.get("DOCKER_HOST") or f"unix://{SOCKET}"
    if os.environ.get("DOCKER_HOST") or (SOCKET.exists() and "timed out" in str(answer).lower()):
        raise EngineError(
            f"the Docker engine at {where} does not answer ({_short(answer)}): restart it, then run again"
        )
    if _started_pid() is not None:
        return _wait_for_engine(None)
    if install:
        host.require_commands({"dockerd": "docker.io", "iptables": "iptables", "docker": "docker.io"})
    elif shutil.which("dockerd") is None:
        raise EngineError("no Docker engine here: run `make demo` (or install docker.io), then run again")
    return _start()


def _short(err) -> str:
    text = str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
    return text[:160]


def _start() -> docker.DockerClient:
    if SOCKET.exists():
        SOCKET.unlink()  # stale: nothing answered on it
    with ui.step("Starting the Docker engine") as step:
        step.update(f"log: {log_file()}")
        with open(log_file(), "ab") as log:
            proc = subprocess.Popen(
                ["dockerd", "--pidfile", str(_pidfile())],
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        return _wait_for_engine(proc)


def _wait_for_engine(proc) -> docker.DockerClient:
    def answered():
        if proc is not None and proc.poll() is not None:
            raise EngineError(f"dockerd exited at start ({_last_log_line()}): see {log_file()}")
        answer = _ping(5)
        return answer if isinstance(answer, docker.DockerClient) else None

    return until(
        answered, timeout=START_TIMEOUT, interval=0.5, what=f"dockerd to answer (see {log_file()})", error=EngineError
    )


def _last_log_line() -> str:
    try:
        lines = log_file().read_text(errors="replace").strip().splitlines()
    except OSError:
        return "no log"
    return lines[-1][-200:] if lines else "no log"


def stop() -> bool:
    """Stop the dockerd that swarmlab started (never one it found running); True if it did."""
    pid = _started_pid()
    if pid is None:
        return False
    os.kill(pid, signal.SIGTERM)
    try:
        until(lambda: not _alive(pid), timeout=30, interval=0.2, what="dockerd to stop")
    except TimedOut:
        os.kill(pid, signal.SIGKILL)
    return True


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except OSError:
        return False
    return True
