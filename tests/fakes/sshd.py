"""SSH servers for many fake hosts in one process (paramiko's server side), each misbehaving as its real cause would.

A fake host answers `exec` requests, one channel after another on one
connection as swarmlab sends them, through its `answer(command, stdin)`; shells
and subsystems (SFTP) are refused as an sshd without them refuses. A
misbehaving host does on the wire what the real cause does (nothing listens, a
VM that accepts and never speaks, a command that never ends...), so that what
swarmlab concludes is tested, not assumed.
"""

import enum
import io
import logging
import socket
import threading
import time
from dataclasses import dataclass
from typing import Callable, Optional

import paramiko

from .net import Listeners

# A client that gives up mid-handshake is what several fakes are for: paramiko's tracebacks about it are noise.
logging.getLogger("paramiko").addHandler(logging.NullHandler())
logging.getLogger("paramiko").propagate = False

BANNER = b"SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3\r\n"
NOT_SSH = b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
FLOOD = b"y\n" * 32768

Answer = Callable[[str, bytes], tuple]  # (command, stdin) -> (exit status, stdout bytes, stderr bytes)


class Misbehaviour(enum.Enum):
    REFUSE = "refuse"  # nothing listens: connection refused
    SILENT = "silent"  # TCP accepted, not one byte sent: a hung VM, a firewall that accepts
    HANG_COMMAND = "hang_command"  # handshake and login work, an exec'd command never answers
    FLOOD = "flood"  # every command's stdout is endless, at full speed
    TRICKLE = "trickle"  # every command's stdout is one byte a second, forever
    NOT_SSH = "not_ssh"  # another server on the port: it answers the client's banner with HTTP and closes
    AUTH_REFUSED = "auth_refused"  # every key is refused
    DROP_HANDSHAKE = "drop_handshake"  # the connection is closed during the key exchange


@dataclass(frozen=True)
class Host:
    address: str
    port: int
    host_key: paramiko.PKey
    authorized: tuple  # public keys as authorized_keys lines: "ssh-ed25519 AAAA... comment"
    answer: Answer
    misbehaviour: Optional[Misbehaviour] = None
    latency: float = 0.0  # seconds every round trip costs on top of loopback's
    # Commands wait for all of their stdin (as `cat` does) before answering; else they answer on the exec request,
    # as sshd runs a command that reads nothing (the checks' reads), and see no stdin.
    reads_stdin: bool = False


def private_key(text) -> paramiko.PKey:
    """A paramiko key from an OpenSSH private key (bytes or text), as `swarmlab.lab.keys.ed25519` makes them."""
    text = text.decode() if isinstance(text, bytes) else text
    return paramiko.Ed25519Key(file_obj=io.StringIO(text))


class SSHServer(Listeners):
    """Every added host listening on its own (address, port), until `stop`."""

    def __init__(self):
        super().__init__()
        self.connections = {}  # (address, port): connections accepted, for tests of connection reuse
        self._transports = set()
        self._guard = threading.Lock()

    def add(self, host: Host) -> None:
        if host.misbehaviour is Misbehaviour.REFUSE:
            return
        self.listen(host.address, host.port, lambda sock: self._connection(host, sock), host.latency)

    def stop(self) -> None:
        super().stop()
        with self._guard:
            transports = list(self._transports)
        for transport in transports:
            transport.close()

    def _connection(self, host: Host, sock: socket.socket) -> None:
        with self._guard:
            where = (host.address, host.port)
            self.connections[where] = self.connections.get(where, 0) + 1
        if host.misbehaviour is Misbehaviour.SILENT:
            while sock.recv(65536):
                pass
        elif host.misbehaviour is Misbehaviour.NOT_SSH:
            _line(sock)
            sock.sendall(NOT_SSH)
        elif host.misbehaviour is Misbehaviour.DROP_HANDSHAKE:
            sock.sendall(BANNER)
            _line(sock)
            sock.recv(65536)  # the client's KEXINIT: the key exchange has begun
        else:
            self._ssh(host, sock)

    def _ssh(self, host: Host, sock: socket.socket) -> None:
        transport = _Transport(sock)
        transport.local_version = BANNER.decode().strip()
        transport.add_server_key(host.host_key)
        with self._guard:
            self._transports.add(transport)
        try:
            transport.start_server(server=_Session(host))
            while transport.is_active() and not self.stopping:
                transport.join(0.5)
        except (paramiko.SSHException, EOFError):
            pass  # the client gave up on the handshake
        finally:
            with self._guard:
                self._transports.discard(transport)
            transport.close()


class _Transport(paramiko.Transport):
    """paramiko's, waking to see whether it should stop once a second rather than ten times: a class is thousands of
    idle connections in one process."""

    _active_check_timeout = 1.0


class _Session(paramiko.ServerInterface):
    def __init__(self, host: Host):
        self.host = host
        self.authorized = {line.split()[1] for line in host.authorized}

    def get_allowed_auths(self, username: str) -> str:
        return "publickey"

    def check_auth_publickey(self, username: str, key: paramiko.PKey) -> int:
        if self.host.misbehaviour is not Misbehaviour.AUTH_REFUSED and key.get_base64() in self.authorized:
            return paramiko.AUTH_SUCCESSFUL
        return paramiko.AUTH_FAILED

    def check_channel_request(self, kind: str, chanid: int) -> int:
        if kind == "session":
            return paramiko.OPEN_SUCCEEDED
        return paramiko.OPEN_FAILED_ADMINISTRATIVELY_PROHIBITED

    def check_channel_exec_request(self, channel: paramiko.Channel, command: bytes) -> bool:
        if self.host.misbehaviour is not Misbehaviour.HANG_COMMAND:
            threading.Thread(target=self._run, args=(channel, command.decode(errors="replace")), daemon=True).start()
        return True

    def _run(self, channel: paramiko.Channel, command: str) -> None:
        try:
            stdin = _until_eof(channel) if self.host.reads_stdin else b""
            if self.host.misbehaviour is Misbehaviour.FLOOD:
                _forever(channel, FLOOD, pause=0)
            elif self.host.misbehaviour is Misbehaviour.TRICKLE:
                _forever(channel, b".", pause=1)
            else:
                status, out, err = self.host.answer(command, stdin)
                channel.sendall(out)
                channel.sendall_stderr(err)
                channel.send_exit_status(status)
                channel.shutdown_write()
                if not self.host.reads_stdin:
                    _until_eof(channel)  # the client's EOF proves it has its exec reply: closing before fails it
        except (OSError, EOFError, paramiko.SSHException):
            pass  # the client closed the channel or the connection
        finally:
            try:
                channel.close()
            except (OSError, EOFError, paramiko.SSHException):
                pass


def _until_eof(channel: paramiko.Channel) -> bytes:
    found = bytearray()
    while True:
        data = channel.recv(65536)
        if not data:
            return bytes(found)
        found += data


def _forever(channel: paramiko.Channel, data: bytes, pause: float) -> None:
    while not channel.closed:
        channel.sendall(data)
        time.sleep(pause)


def _line(sock: socket.socket) -> bytes:
    """The first line the client sends (its banner), read byte by byte so nothing after it is taken."""
    line = bytearray()
    while not line.endswith(b"\n") and len(line) < 256:
        byte = sock.recv(1)
        if not byte:
            break
        line += byte
    return bytes(line)
