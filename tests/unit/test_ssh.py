"""Where SSH connects: the inventory wins, ~/.ssh/config fills the gaps, as `ssh` itself does; which host keys
known_hosts lists for it."""

from pathlib import Path

import paramiko

from swarmlab.lab import keys
from swarmlab.transport.inventory import NodeSpec
from swarmlab.transport.ssh import known_keys, resolve

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


def test_known_hosts_lists_a_hosts_keys_by_name_hashed_or_plain_and_is_read_again_once_it_changes(tmp_path):
    plain, hashed, other = (keys.ed25519(name) for name in ("plain", "hashed", "another"))
    known = tmp_path / "known_hosts"
    known.write_text(
        f"10.0.0.1 {plain.public}\n"
        f"{paramiko.HostKeys.hash_host('[10.0.0.2]:2222')} {hashed.public}\n"
        "# a comment\n10.0.0.3 ssh-ed25519 not-a-key\n"
    )
    assert _key(known_keys(known, "10.0.0.1")) == plain.public.split()[1]
    assert _key(known_keys(known, "[10.0.0.2]:2222")) == hashed.public.split()[1]
    assert known_keys(known, "10.0.0.2") == known_keys(known, "10.0.0.9") == {}
    known.write_text(f"10.0.0.1 {other.public}\n")
    assert _key(known_keys(known, "10.0.0.1")) == other.public.split()[1]
    assert known_keys(tmp_path / "missing", "10.0.0.1") == {}


def _key(found: dict) -> str:
    (key,) = found.values()
    return key.get_base64()
