"""What every suite shares: running the CLI as a user would, and what a refused command must look like.

tests/unit needs no Docker and runs in seconds; tests/lab runs against labs of
its own on this machine's engine (in CI too: a lab test fails, it never skips).
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SWARMLAB = str(Path(sys.executable).parent / "swarmlab")
RECORDINGS = ROOT / "tests" / "recordings"


def swarmlab(*args, env=None, timeout=600, cwd=None):
    """Run the CLI as a user would; returns the CompletedProcess."""
    return subprocess.run(
        [SWARMLAB, *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=cwd,
        env={**os.environ, **(env or {})},
        stdin=subprocess.DEVNULL,
    )


def assert_one_clear_line(done, exit_code, *words):
    """A refused command prints one line naming problem and fix, and no traceback."""
    assert done.returncode == exit_code, (done.returncode, done.stdout, done.stderr)
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, done.stderr
    assert "Traceback" not in done.stderr + done.stdout
    for word in words:
        assert word in lines[0], lines[0]


@pytest.fixture
def shell(monkeypatch):
    """An IPython shell with the magics loaded, as a notebook's kernel has them."""
    from IPython.core.interactiveshell import InteractiveShell
    from traitlets.config import Config

    from swarmlab import ui
    from swarmlab.frontends import magics

    monkeypatch.setattr(ui, "_quiet", ui._quiet)
    monkeypatch.setattr(magics.session, "cluster", None)
    monkeypatch.setitem(sys.modules, "__main__", sys.modules["__main__"])  # the shell takes __main__ over
    config = Config()
    config.HistoryManager.enabled = False
    shell = InteractiveShell.instance(config=config)
    shell.run_line_magic("load_ext", "swarmlab")
    yield shell
    if magics.session.cluster is not None:
        magics.session.cluster.close()


def run(shell, source):
    """The cell's error, if it raised one."""
    return shell.run_cell(source).error_in_exec
