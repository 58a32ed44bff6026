"""The README's quick start for a student's own VMs, run as written: its shell blocks in order, in one shell, with
the lab's nodes as the VMs. The nodes are made what a fresh cloud VM is (a user `ubuntu` outside the docker group,
sudo without a password, the student's key authorized); the student's machine is a home of its own (the key in
~/.ssh, no known_hosts yet, no agent); the README's example addresses become the nodes'. What the README says a
passing run prints is held to what it printed."""

import ipaddress
import os
import shlex
import shutil
import subprocess

import pytest

from ..conftest import ROOT
from ..readme import README, SHELLS, Block, blocks, commands, section

pytestmark = pytest.mark.lab

STUDENT = "### A student with their own VMs"
ELLIPSIS = "…"

# A cloud image's first user: its own group, not docker's; sudo that asks nothing; the student's key let in.
CLOUD_USER = (
    "id -u ubuntu >/dev/null 2>&1 || useradd --create-home --shell /bin/bash ubuntu; "
    "install -d -m 700 -o ubuntu -g ubuntu /home/ubuntu/.ssh && "
    "install -m 600 -o ubuntu -g ubuntu /root/.ssh/authorized_keys /home/ubuntu/.ssh/authorized_keys && "
    "echo 'ubuntu ALL=(ALL) NOPASSWD:ALL' > /etc/sudoers.d/ubuntu && chmod 440 /etc/sudoers.d/ubuntu && "
    "! id -nG ubuntu | grep -qw docker"
)


def quick_start():
    """(the shell blocks, the block of what a passing run prints) of the student's quick start."""
    found = blocks(section(README.read_text(), STUDENT))
    shells = [b.text for b in found if b.lang in SHELLS]
    printed = [b.text for b in found if b.lang == "text"]
    assert len(shells) == 2 and len(printed) == 1, found
    return shells, printed[0]


def example_addresses(script: str) -> list:
    """The VMs' addresses the README gives `swarmlab inventory init`, in its order (the manager's first)."""
    for words in commands(Block("bash", script, 0)):
        if words[:3] == ["swarmlab", "inventory", "init"]:
            return [w for w in words[3:] if not w.startswith("-") and is_address(w)]
    raise AssertionError("the quick start has no `swarmlab inventory init`")


def is_address(word: str) -> bool:
    try:
        ipaddress.ip_address(word)
        return True
    except ValueError:
        return False


def test_the_readmes_student_quick_start_runs_as_written(lab, lab_inventory, lesson_run, cluster, tmp_path):
    (install, check), passing = quick_start()
    for node in lab_inventory.nodes:
        made = cluster.run(node.name, CLOUD_USER)
        assert made.ok, (node.name, made.stdout, made.stderr)
    home, work = tmp_path / "home", tmp_path / "work"
    (home / ".ssh").mkdir(parents=True, mode=0o700)
    work.mkdir()
    shutil.copy(lab.key_path, home / ".ssh" / "id_ed25519")
    (home / ".ssh" / "id_ed25519").chmod(0o600)
    shown = example_addresses(check)
    assert len(shown) == len(lab_inventory.nodes), shown
    for example, node in zip(shown, (lab_inventory.manager, *lab_inventory.workers)):
        check = check.replace(example, node.address)
    # The first block runs in the clone's folder, the second "in any folder": one shell, as a reader types them.
    script = f"set -eu\ncd {shlex.quote(str(ROOT))}\n{install}cd {shlex.quote(str(work))}\n{check}"
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "SSH_AUTH_SOCK", "SWARMLAB_LANG")}
    done = subprocess.run(
        ["bash", "-c", script],
        env={**env, "HOME": str(home)},
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=1200,
    )
    assert done.returncode == 0, done.stdout[-5000:]
    assert "Traceback" not in done.stdout
    assert (home / "swarmlab-venv" / "bin" / "swarmlab").exists()  # the installed tool ran, not this checkout's
    said = {line.strip() for line in done.stdout.splitlines()}
    for line in passing.splitlines():
        assert line.strip() == ELLIPSIS or line.strip() in said, (line, done.stdout[-5000:])
    recorded = (home / ".ssh" / "known_hosts").read_text()
    assert all(node.address in recorded for node in lab_inventory.nodes), recorded
    again = subprocess.run(
        [str(home / "swarmlab-venv" / "bin" / "swarmlab"), "check", "-i", "inventory.yaml", "--stage", "init", "-q"],
        cwd=work,
        env={**env, "HOME": str(home)},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert again.returncode == 0, again.stdout + again.stderr  # later runs need no --accept-new-host-keys
