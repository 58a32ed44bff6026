"""What this machine offers the lab: its cgroup version and Debian packages on demand."""

import fcntl
import os
import shutil
import subprocess
from contextlib import contextmanager
from pathlib import Path

from .. import ui
from ..errors import EngineError
from ..paths import state_dir


def cgroup_version() -> int:
    """2 on a unified hierarchy (most current Ubuntu hosts), 1 on a legacy one (this CI)."""
    return 2 if Path("/sys/fs/cgroup/cgroup.controllers").exists() else 1


@contextmanager
def exclusive(name: str):
    """Hold the machine-wide lock `name` while using a cache that labs share (the images, the node image
    stores): two `lab up` at once would otherwise take what the other is still making for half-made."""
    path = state_dir() / "locks" / f"{name}.lock"
    path.parent.mkdir(exist_ok=True)
    with open(path, "w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            with ui.step("Waiting for another swarmlab to finish preparing the images"):
                fcntl.flock(handle, fcntl.LOCK_EX)
        yield


def can_install() -> bool:
    return os.geteuid() == 0 and Path("/etc/debian_version").exists() and shutil.which("apt-get") is not None


def require_commands(commands: dict) -> None:
    """Install the Debian packages behind missing commands ({command: package}), or say which."""
    missing = {cmd: pkg for cmd, pkg in commands.items() if shutil.which(cmd) is None}
    if not missing:
        return
    packages = sorted(set(missing.values()))
    if not can_install():
        raise EngineError(
            f"{', '.join(sorted(missing))} not found and swarmlab installs packages only as root on "
            f"Debian or Ubuntu: install {' '.join(packages)}, then run again"
        )
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    with ui.step(f"Installing {' '.join(packages)} from Debian"):
        for argv in (["apt-get", "update", "-qq"], ["apt-get", "install", "-y", "-qq", *packages]):
            done = subprocess.run(argv, env=env, stdin=subprocess.DEVNULL, capture_output=True, text=True)
            if done.returncode != 0:
                last = (done.stderr.strip() or done.stdout.strip()).splitlines()[-1:] or ["no output"]
                raise EngineError(f"`{' '.join(argv)}` failed ({last[0]}): fix the package sources and run again")
