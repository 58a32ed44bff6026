"""Where SSH connects: the inventory wins, ~/.ssh/config fills the gaps, as `ssh` itself does."""

from pathlib import Path

from swarmlab.transport.inventory import NodeSpec
from swarmlab.transport.ssh import resolve

CONFIG = """\
Host lesson-manager
    HostName 10.129.0.16
    User ubuntu
    Port 2201
    IdentityFile ~/.ssh/lesson_ed25519
    UserKnownHostsFile ~/.ssh/lesson_known_hosts
"""


def test_an_ssh_config_alias_gives_address_user_port_key_and_known_hosts(tmp_path):
    config = tmp_path / "config"
    config.write_text(CONFIG)
    target = resolve(NodeSpec("manager", "lesson-manager", "manager"), ssh_config=config)
    assert (target.hostname, target.user, target.port) == ("10.129.0.16", "ubuntu", 2201)
    assert target.key == Path("~/.ssh/lesson_ed25519").expanduser()
    assert target.known_hosts == Path("~/.ssh/lesson_known_hosts").expanduser()


def test_the_inventorys_own_fields_win_over_the_ssh_config(tmp_path):
    config = tmp_path / "config"
    config.write_text(CONFIG)
    node = NodeSpec(
        "manager", "lesson-manager", "manager", port=22, user="root", key=tmp_path / "k", known_hosts=tmp_path / "kh"
    )
    target = resolve(node, ssh_config=config)
    assert (target.hostname, target.user, target.port, target.key, target.known_hosts) == (
        "10.129.0.16",
        "root",
        22,
        tmp_path / "k",
        tmp_path / "kh",
    )


def test_without_an_ssh_config_the_address_is_used_as_given(tmp_path):
    target = resolve(NodeSpec("worker-1", "192.0.2.7"), ssh_config=tmp_path / "absent")
    assert (target.hostname, target.port) == ("192.0.2.7", 22)
