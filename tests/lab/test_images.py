"""Building the lab's images: a build that cannot finish leaves nothing behind."""

import os

import pytest

from swarmlab.errors import SwarmlabError
from swarmlab.lab import images

from ..conftest import assert_one_clear_line, swarmlab

pytestmark = pytest.mark.lab


def test_an_engine_that_does_not_answer_is_named_with_the_fix():
    done = swarmlab(
        "lab", "up", "--lab", "swarmlab-test-noengine", env={"DOCKER_HOST": "unix:///nonexistent/docker.sock"}
    )
    assert_one_clear_line(done, 1, "does not answer", "unix:///nonexistent/docker.sock", "restart it")


def test_a_disk_full_during_the_bootstrap_leaves_no_image_and_no_build_files(docker_client, tmp_path, monkeypatch):
    fake = tmp_path / "bin" / "mmdebstrap"
    fake.parent.mkdir()
    fake.write_text(
        '#!/bin/sh\nmkdir -p "$4/usr" && head -c 1000 /dev/zero > "$4/usr/half"\n'
        "echo 'I: Extracting libc6...'\necho 'tar: ./usr/lib: No space left on device'\nexit 1\n"
    )
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", f"{fake.parent}:{os.environ['PATH']}")
    monkeypatch.setattr(images, "_check_free_space", lambda: None)
    base = images.Base("diskfull-test", ("nothing",))
    before = set((images.state_dir() / "build").glob("diskfull-test-*"))
    with pytest.raises(SwarmlabError, match="disk filled up while building diskfull-test: free at least"):
        images.ensure(docker_client, [images.Image("node", base)])
    assert not images.is_current(docker_client, base.tag, base.digest())
    assert set((images.state_dir() / "build").glob("diskfull-test-*")) == before
