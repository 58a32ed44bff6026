"""Running commands on a node over SSH, with host keys checked and failures in plain words.

Instructors grade clusters they do not own, so a node that cannot be reached
must become a reason ("the key was refused") rather than a traceback, and a host
key is never trusted silently: it is either in the known_hosts file or the
caller explicitly asked to accept new ones.
"""

import getpass
import logging
import shlex
import socket
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

import paramiko
from tenacity import retry, retry_if_exception, stop_after_attempt, wait_fixed

from .errors import NodeUnreachable
from .inventory import NodeSpec

# paramiko logs a traceback of its own when a handshake fails; the reason reaches the user through Unreachable.
logging.getLogger("paramiko").addHandler(logging.NullHandler())
logging.getLogger("paramiko").propagate = False


@dataclass(frozen=True)
class Result:
    command: str
    exit_status: int
    stdout: str
    stderr: str

    @property
    def ok(self) -> bool:
        return self.exit_status == 0


class Unreachable(NodeUnreachable):
    """`reason` is a short code (timeout, refused, auth, host-key-changed, ...) for reports."""

    def __init__(self, node: NodeSpec, reason: str, message: str):
        super().__init__(f"{node.name} ({node.address}): {message}")
        self.reason = reason


@dataclass(frozen=True)
class Target:
    """Where SSH really connects once ~/.ssh/config has had its say."""

    hostname: str
    port: int
    user: str
    key: Optional[Path]
    known_hosts: Path


def resolve(node: NodeSpec, ssh_config: Optional[Path] = None) -> Target:
    """Fill what the inventory leaves out from ~/.ssh/config, so aliases work as in `ssh`."""
    config_path = ssh_config or Path.home() / ".ssh" / "config"
    options = {}
    if config_path.is_file():
        options = paramiko.SSHConfig.from_path(str(config_path)).lookup(node.address)
    key = node.key
    if key is None and options.get("identityfile"):
        key = Path(options["identityfile"][0]).expanduser()
    known_hosts = node.known_hosts
    if known_hosts is None:
        known_hosts = Path(options["userknownhostsfile"].split()[0]).expanduser() if options.get(
            "userknownhostsfile") else Path.home() / ".ssh" / "known_hosts"
    return Target(
        hostname=options.get("hostname", node.address),
        port=node.port or int(options.get("port", 22)),
        user=node.user or options.get("user") or getpass.getuser(),
        key=key,
        known_hosts=known_hosts,
    )


class _RecordNewHostKey(paramiko.MissingHostKeyPolicy):
    """Trust on first use, only when asked for: record the key in the inventory's known_hosts."""

    def __init__(self, known_hosts: Path):
        self.known_hosts = known_hosts

    def missing_host_key(self, client, hostname, key):
        self.known_hosts.parent.mkdir(parents=True, exist_ok=True)
        with open(self.known_hosts, "a") as out:
            out.write(f"{hostname} {key.get_name()} {key.get_base64()}\n")


class SSHNode:
    """One node reached over one SSH connection, reused for every command."""

    def __init__(self, spec: NodeSpec, timeout: float = 10, accept_new_host_keys: bool = False):
        self.spec = spec
        self.name = spec.name
        self.target = resolve(spec)
        self.timeout = timeout
        self.accept_new_host_keys = accept_new_host_keys
        self._client: Optional[paramiko.SSHClient] = None
        self._lock = threading.Lock()

    def __enter__(self):
        self.connect()
        return self

    def __exit__(self, *exc):
        self.close()

    def connect(self) -> "SSHNode":
        with self._lock:
            if self._client is None:
                self._client = self._connect()
        return self

    @retry(retry=retry_if_exception(lambda err: getattr(err, "reason", "") == "dropped"),
           stop=stop_after_attempt(3), wait=wait_fixed(0.5), reraise=True)
    def _connect(self) -> paramiko.SSHClient:
        """One connection; retried when sshd drops the handshake, as it does under a burst (MaxStartups)."""
        target = self.target
        client = paramiko.SSHClient()
        if target.known_hosts.is_file():
            client.load_host_keys(str(target.known_hosts))
        if self.accept_new_host_keys:
            client.set_missing_host_key_policy(_RecordNewHostKey(target.known_hosts))
        else:
            client.set_missing_host_key_policy(paramiko.RejectPolicy())
        try:
            client.connect(
                target.hostname, port=target.port, username=target.user,
                key_filename=str(target.key) if target.key else None,
                look_for_keys=target.key is None, allow_agent=target.key is None,
                timeout=self.timeout, banner_timeout=self.timeout, auth_timeout=self.timeout,
            )
        except Exception as err:
            client.close()
            raise self._explain(err) from None
        return client

    def _explain(self, err: Exception) -> Unreachable:
        t = self.target
        where = f"{t.hostname}:{t.port}"
        if isinstance(err, paramiko.BadHostKeyException):
            return Unreachable(self.spec, "host-key-changed",
                               f"the host key of {where} changed since it was recorded in {t.known_hosts}; "
                               f"if the VM was rebuilt, remove the old key (ssh-keygen -R {t.hostname} -f {t.known_hosts})")
        if isinstance(err, paramiko.AuthenticationException):
            return Unreachable(self.spec, "auth",
                               f"the key {t.key or '(agent)'} was refused for user {t.user}: "
                               f"add its public key to ~{t.user}/.ssh/authorized_keys on the node")
        if isinstance(err, paramiko.SSHException) and "not found in known_hosts" in str(err):
            return Unreachable(self.spec, "host-key-unknown",
                               f"the host key of {where} is not in {t.known_hosts}: "
                               f"check it and run again with --accept-new-host-keys")
        if isinstance(err, (ConnectionResetError, EOFError)) or "Connection reset" in str(err):
            return Unreachable(self.spec, "dropped", f"{where} closed the connection during the SSH handshake")
        if isinstance(err, (socket.timeout, TimeoutError)) or any(
                sign in str(err) for sign in ("protocol banner", "No existing session")):
            return Unreachable(self.spec, "timeout",
                               f"SSH to {where} timed out after {self.timeout:g} s: check the address and that the VM runs")
        if isinstance(err, paramiko.ssh_exception.NoValidConnectionsError):
            err = next(iter(err.errors.values()))
        if isinstance(err, ConnectionRefusedError):
            return Unreachable(self.spec, "refused",
                               f"connection to {where} refused: check that sshd runs and the port is right")
        if isinstance(err, socket.gaierror):
            return Unreachable(self.spec, "unknown-host", f"the name {t.hostname} does not resolve: check the address")
        if isinstance(err, OSError):
            return Unreachable(self.spec, "unreachable", f"{where} cannot be reached ({err.strerror or err}): check the address")
        if isinstance(err, paramiko.SSHException):
            return Unreachable(self.spec, "not-ssh", f"{where} does not answer as an SSH server ({err}): check the port")
        return Unreachable(self.spec, "error", f"SSH to {where} failed ({err})")

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None

    def wrap(self, command: str) -> str:
        """The command as sent: through `sudo -n` when the inventory says `become: sudo`."""
        if self.spec.become == "sudo":
            return f"sudo -n sh -c {shlex.quote(command)}"
        return command

    def run(self, command: str, timeout: float = 120, stdin: Optional[bytes] = None) -> Result:
        out, err = bytearray(), bytearray()
        status = self._exec(command, out.extend, err.extend, timeout, stdin)
        return Result(command, status, out.decode(errors="replace"), err.decode(errors="replace"))

    def stream(self, command: str, stdout=None, stderr=None, timeout: float = 3600) -> int:
        """Run `command`, copying its output as it comes; returns its exit status."""
        stdout = stdout or sys.stdout.buffer
        stderr = stderr or sys.stderr.buffer
        return self._exec(command, _flushing(stdout), _flushing(stderr), timeout, None)

    def _exec(self, command, on_out, on_err, timeout, stdin) -> int:
        self.connect()
        deadline = time.monotonic() + timeout
        try:
            chan = self._client.get_transport().open_session(timeout=self.timeout)
            chan.exec_command(self.wrap(command))
            if stdin is not None:
                chan.sendall(stdin)
            chan.shutdown_write()
            while True:
                if chan.recv_ready():
                    on_out(chan.recv(65536))
                elif chan.recv_stderr_ready():
                    on_err(chan.recv_stderr(65536))
                elif chan.exit_status_ready() and (chan.eof_received or chan.closed):
                    while chan.recv_ready():
                        on_out(chan.recv(65536))
                    while chan.recv_stderr_ready():
                        on_err(chan.recv_stderr(65536))
                    return chan.recv_exit_status()
                elif time.monotonic() > deadline:
                    chan.close()
                    raise Unreachable(self.spec, "timeout",
                                      f"`{command[:60]}` did not finish within {timeout:g} s")
                else:
                    time.sleep(0.002)
        except (paramiko.SSHException, EOFError, OSError) as err:
            self.close()
            raise Unreachable(self.spec, "dropped", f"the SSH connection dropped ({err})") from None

    def sftp(self) -> paramiko.SFTPClient:
        self.connect()
        return self._client.open_sftp()


def _flushing(stream):
    def write(data):
        stream.write(data)
        stream.flush()
    return write
