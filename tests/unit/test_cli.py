"""Bad input: one clear line naming the problem and the fix, a non-zero exit, no traceback."""

import pytest

from swarmlab.errors import EngineError, SwarmlabError
from swarmlab.lab import engine, host, images

from ..conftest import assert_one_clear_line, swarmlab


@pytest.mark.parametrize(
    "args, words",
    [
        (["lab", "up", "--lab", "Bad_Name"], ["not a valid lab name", "lowercase"]),
        (["lab", "up", "--lab", "x" * 40], ["not a valid lab name"]),
        (["lab", "up", "--nodes", "0"], ["out of range", "1 to 5"]),
        (["lab", "up", "--nodes", "6"], ["out of range", "1 to 5"]),
        (["lab", "up", "--nodes", "three"], ["invalid int value"]),
        (["lab", "launch"], ["invalid choice"]),
        ([], ["required"]),
        (["check", "--stage", "deploy"], ["invalid choice"]),
        (["check", "--part", "3"], ["invalid choice"]),
        (["lesson", "run", "--through", "everything"], ["invalid choice"]),
    ],
)
def test_usage_errors_exit_2_with_one_line(args, words):
    assert_one_clear_line(swarmlab(*args), 2, *words)


def test_no_engine_and_not_root_says_what_to_install(monkeypatch):
    monkeypatch.delenv("DOCKER_HOST", raising=False)
    monkeypatch.setattr(engine, "_ping", lambda timeout: ConnectionRefusedError("refused"))
    monkeypatch.setattr(engine, "_started_pid", lambda: None)
    monkeypatch.setattr(host, "can_install", lambda: False)
    monkeypatch.setattr(host.shutil, "which", lambda cmd: None)
    with pytest.raises(EngineError, match="install docker.io iptables, then run again"):
        engine.connect()


def test_a_build_without_enough_free_disk_stops_before_starting(monkeypatch):
    monkeypatch.setattr(images.shutil, "disk_usage", lambda path: type("U", (), {"free": 300 * 1024**2})())
    with pytest.raises(SwarmlabError, match=r"only 0.3 GiB free .* free some space"):
        images._check_free_space()
