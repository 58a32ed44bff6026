"""Bad input: one clear line naming the problem and the fix, a non-zero exit, no traceback."""

import pytest

from labs import engine, host, images
from labs.errors import EngineError, SwarmlabError

from .conftest import assert_one_clear_line, swarmlab


@pytest.mark.parametrize("args, words", [
    (["lab", "up", "--name", "Bad_Name"], ["not a valid lab name", "lowercase"]),
    (["lab", "up", "--name", "x" * 40], ["not a valid lab name"]),
    (["lab", "up", "--nodes", "0"], ["out of range", "1 to 5"]),
    (["lab", "up", "--nodes", "6"], ["out of range", "1 to 5"]),
    (["lab", "up", "--nodes", "three"], ["invalid int value"]),
    (["lab", "launch"], ["invalid choice"]),
    ([], ["required"]),
])
def test_usage_errors_exit_2_with_one_line(args, words):
    assert_one_clear_line(swarmlab(*args), 2, *words)


def test_an_engine_that_does_not_answer_is_named_with_the_fix():
    done = swarmlab("lab", "status", env={"DOCKER_HOST": "unix:///nonexistent/docker.sock"})
    assert_one_clear_line(done, 1, "does not answer", "unix:///nonexistent/docker.sock", "restart it")


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


def test_a_disk_full_during_debootstrap_leaves_no_image_and_no_build_files(docker_client, tmp_path, monkeypatch):
    fake = tmp_path / "bin" / "debootstrap"
    fake.parent.mkdir()
    fake.write_text("#!/bin/sh\nmkdir -p \"$4/usr\" && head -c 1000 /dev/zero > \"$4/usr/half\"\n"
                    "echo 'I: Extracting libc6...'\necho 'tar: ./usr/lib: No space left on device'\nexit 1\n")
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", f"{fake.parent}:{__import__('os').environ['PATH']}")
    monkeypatch.setattr(images, "_check_free_space", lambda: None)
    base = images.Base("diskfull-test", ("nothing",))
    before = set((images.state_dir() / "build").glob("diskfull-test-*"))
    with pytest.raises(SwarmlabError, match="disk filled up while building diskfull-test: free at least"):
        images.ensure(docker_client, [images.Image("node", base)])
    assert not images.is_current(docker_client, base.tag, base.digest())
    assert set((images.state_dir() / "build").glob("diskfull-test-*")) == before
