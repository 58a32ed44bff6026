"""Every way SSH to a student's VM can fail, named by its cause and its fix (the README's table), tried against
SSH servers on loopback through `swarmlab check` as a student runs it: the exact first line, the exit status, no
traceback."""

import json

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from swarmlab.errors import NodeUnreachable
from swarmlab.lab import keys
from swarmlab.state import templates as T
from swarmlab.transport import inventory
from swarmlab.transport.inventory import Inventory, NodeSpec

from ..conftest import assert_one_clear_line, swarmlab
from ..fakes.sshd import Host, Misbehaviour, SSHServer, private_key
from .conftest import PORT, fresh_address


def docker_denied(command: str, stdin: bytes) -> tuple:
    """A node whose user is outside the docker group: docker's own words on every read."""
    denied = (
        "permission denied while trying to connect to the Docker daemon socket at unix:///var/run/docker.sock:"
        ' Get "http://%2Fvar%2Frun%2Fdocker.sock/v1.51/info": dial unix /var/run/docker.sock: connect: '
        "permission denied"
    )
    return 0, f"@@ info\n{denied}\n@@ nodes\n".encode(), b""


def sudo_asks(command: str, stdin: bytes) -> tuple:
    return 1, b"", b"sudo: a password is required\n"


class Node:
    def __init__(self, folder):
        self.folder = folder
        self.server = SSHServer().start()
        self.client = keys.ed25519("student")
        self.key = folder / "id_ed25519"
        self.key.write_bytes(self.client.private)
        self.key.chmod(0o600)
        self.known_hosts = folder / "known_hosts"
        self.known_hosts.touch()

    def serve(self, answer=docker_denied, misbehaviour=None, changed=False, known=True) -> str:
        address, pair = fresh_address(), keys.ed25519()
        shown = keys.ed25519() if changed else pair
        self.server.add(Host(address, PORT, private_key(shown.private), (self.client.public,), answer, misbehaviour))
        if known:
            with open(self.known_hosts, "a") as out:
                out.write(keys.known_hosts_line(address, PORT, pair.public))
        return address

    def inventory(self, address: str, port: int = PORT, **changes) -> str:
        fields = {"key": self.key, "known_hosts": self.known_hosts, "user": "student", **changes}
        path = self.folder / "inventory.yaml"
        inventory.dump(Inventory(nodes=(NodeSpec("manager", address, "manager", port, **fields),), path=path), path)
        return str(path)


@pytest.fixture
def node(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))  # no ~/.ssh of this machine's takes part
    monkeypatch.delenv("SSH_AUTH_SOCK", raising=False)
    made = Node(tmp_path)
    yield made
    made.server.stop()


def first_line(path: str, *extra, env=None) -> str:
    done = swarmlab(
        "check", "-i", path, "--lang", "en", "--stage", "init", "-q", "--json", "-", *extra, env=env, timeout=120
    )
    assert done.returncode == 1 and "Traceback" not in done.stdout + done.stderr, done.stdout + done.stderr
    first = json.loads(done.stdout)["checks"][0]
    assert first["id"] == "manager_answers_with_docker" and first["outcome"] == "failed"
    return first["message"] + " → " + first["hint"]


def encrypted_key(path) -> None:
    path.write_bytes(
        Ed25519PrivateKey.generate().private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.OpenSSH,
            serialization.BestAvailableEncryption(b"a passphrase"),
        )
    )
    path.chmod(0o600)


def test_no_key_and_no_agent(node):
    said = first_line(node.inventory(node.serve(), key=None), env={"HOME": str(node.folder), "SSH_AUTH_SOCK": ""})
    assert "no key and no ssh-agent" in said and "give key:" in said


def test_a_key_file_that_is_not_a_key(node):
    (node.folder / "not-a-key").write_text("ssh-ed25519 AAAA... this is the public half\n")
    said = first_line(node.inventory(node.serve(), key=node.folder / "not-a-key"))
    assert "is not an SSH private key" in said and "not the .pub" in said


def test_a_key_that_is_not_a_file_is_refused_before_anything_runs(node):
    (node.folder / "keys").mkdir()
    done = swarmlab("check", "-i", node.inventory(node.serve(), key=node.folder / "keys"), "--lang", "en")
    assert_one_clear_line(done, 2, "field key", "is not a file")


def test_a_key_that_cannot_be_read(node, monkeypatch):
    from swarmlab.transport import ssh
    from swarmlab.transport.factory import over_ssh

    def unreadable(path):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(ssh.paramiko.PKey, "from_path", unreadable)
    with over_ssh(inventory.load(node.inventory(node.serve())), timeout=2) as cluster:
        with pytest.raises(NodeUnreachable) as raised:
            cluster.manager.run(T.INFO.render())
    assert raised.value.reason == "key-unreadable" and "chmod 600" in raised.value.render("en")


def test_a_key_with_a_passphrase(node):
    encrypted_key(node.folder / "locked")
    said = first_line(node.inventory(node.serve(), key=node.folder / "locked"))
    assert "has a passphrase" in said and "ssh-add" in said


def test_a_key_the_node_refuses(node):
    said = first_line(node.inventory(node.serve(misbehaviour=Misbehaviour.AUTH_REFUSED)))
    assert "was refused for user student" in said and "authorized_keys" in said


def test_a_host_key_never_seen(node):
    said = first_line(node.inventory(node.serve(known=False)))
    assert "is not in" in said and "--accept-new-host-keys" in said


def test_a_host_key_that_changed_names_both_fingerprints(node):
    said = first_line(node.inventory(node.serve(changed=True)))
    assert said.count("SHA256:") == 2 and "ssh-keygen -R" in said


def test_a_port_that_answers_but_not_as_ssh(node):
    said = first_line(node.inventory(node.serve(misbehaviour=Misbehaviour.NOT_SSH)))
    assert "does not answer as an SSH server" in said and "check the port" in said


def test_a_closed_port(node):
    address = node.serve()
    said = first_line(node.inventory(address, port=PORT + 1))
    assert "refused" in said and "sshd runs" in said


def test_a_vm_that_accepts_and_never_answers(node):
    said = first_line(node.inventory(node.serve(misbehaviour=Misbehaviour.SILENT)))
    assert "timed out" in said and "that the VM runs" in said


def test_a_name_that_does_not_resolve(node):
    said = first_line(node.inventory("no-such-vm.invalid"))
    assert "does not resolve" in said


def test_sudo_that_asks_for_a_password(node):
    said = first_line(node.inventory(node.serve(answer=sudo_asks), become="sudo"))
    assert "asks student for a password" in said and "NOPASSWD" in said


def test_a_user_outside_the_docker_group_without_become(node):
    said = first_line(node.inventory(node.serve()))
    assert "student may not use docker" in said and "usermod -aG docker student" in said and "become: sudo" in said


def test_no_route_to_the_node_is_named_as_such(node, monkeypatch):
    from swarmlab.transport import ssh
    from swarmlab.transport.factory import over_ssh

    def unroutable(*args, **kwargs):
        raise OSError(113, "No route to host")

    monkeypatch.setattr(ssh.socket, "create_connection", unroutable)
    with over_ssh(inventory.load(node.inventory(node.serve())), timeout=2) as cluster:
        with pytest.raises(NodeUnreachable) as raised:
            cluster.manager.run(T.INFO.render())
    assert raised.value.reason == "no-route" and "no route" in raised.value.render("en")
