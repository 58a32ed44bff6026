"""HTTP servers for many fake hosts in one process: a node's recorded pages, or what a broken one sends instead.

Raw sockets rather than http.server, because the misbehaviours are about the
bytes: headers that never end, a body that never ends, a redirect elsewhere,
control characters and lines no browser expects. Every answer closes the
connection, as the lesson's nginx does for a client that asks it to.
"""

import socket
import struct
import time
from dataclasses import dataclass
from typing import Callable, Union

from .net import Listeners

HEAD_LIMIT = 65536


@dataclass(frozen=True)
class Page:
    status: int
    body: bytes
    content_type: str = "text/html; charset=utf-8"


@dataclass(frozen=True)
class Redirect:
    """302 to any URL, another host's included."""

    location: str


@dataclass(frozen=True)
class Flood:
    """A 200 whose body never ends, sent as fast as the client reads."""


@dataclass(frozen=True)
class Trickle:
    """A 200 whose body is one byte a second, forever."""


@dataclass(frozen=True)
class SlowHeaders:
    """A status line, then headers at one byte a second that never end."""


@dataclass(frozen=True)
class Silent:
    """The request is read and never answered: a gateway waiting on an upstream that does not answer."""


@dataclass(frozen=True)
class Reset:
    """The connection is reset (RST) instead of answered; behind a latency, it is closed instead."""


@dataclass(frozen=True)
class Raw:
    """These bytes, whatever they are, and the connection closed."""

    data: bytes


WebAnswer = Union[Page, Redirect, Flood, Trickle, SlowHeaders, Silent, Reset, Raw]
REASONS = {
    200: "OK",
    302: "Found",
    404: "Not Found",
    500: "Internal Server Error",
    502: "Bad Gateway",
    503: "Service Unavailable",
    504: "Gateway Timeout",
}


@dataclass(frozen=True)
class WebHost:
    address: str
    pages: Callable[[str], WebAnswer]  # the request's path (with its query) -> what is sent back
    port: int = 80
    latency: float = 0.0


def always(answer: WebAnswer) -> Callable[[str], WebAnswer]:
    """Pages that are all the same answer, whatever the path."""
    return lambda path: answer


class WebServer(Listeners):
    def add(self, host: WebHost) -> None:
        self.listen(host.address, host.port, lambda sock: self._request(host, sock), host.latency)

    def _request(self, host: WebHost, sock: socket.socket) -> None:
        head = bytearray()
        while b"\r\n\r\n" not in head and len(head) < HEAD_LIMIT:
            data = sock.recv(4096)
            if not data:
                return
            head += data
        words = head.split(b"\r\n", 1)[0].split()
        answer = host.pages(words[1].decode(errors="replace") if len(words) > 1 else "/")
        if isinstance(answer, Page):
            sock.sendall(_head(answer.status, answer.content_type, len(answer.body)) + answer.body)
        elif isinstance(answer, Redirect):
            sock.sendall(
                f"HTTP/1.1 302 Found\r\nLocation: {answer.location}\r\nContent-Length: 0\r\n"
                f"Connection: close\r\n\r\n".encode()
            )
        elif isinstance(answer, Raw):
            sock.sendall(answer.data)
        elif isinstance(answer, Silent):
            while sock.recv(65536):
                pass
        elif isinstance(answer, Reset):
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            sock.close()  # at once: a shutdown first would send a FIN, not the RST
        elif isinstance(answer, Flood):
            sock.sendall(_head(200, "text/html; charset=utf-8"))
            self._forever(sock, b"<p>flood</p>\n" * 4096, pause=0)
        elif isinstance(answer, Trickle):
            sock.sendall(_head(200, "text/html; charset=utf-8"))
            self._forever(sock, b".", pause=1)
        elif isinstance(answer, SlowHeaders):
            sock.sendall(b"HTTP/1.1 200 OK\r\nX-Slow: ")
            self._forever(sock, b"a", pause=1)

    def _forever(self, sock: socket.socket, data: bytes, pause: float) -> None:
        while not self.stopping:
            sock.sendall(data)
            time.sleep(pause)


def _head(status: int, content_type: str, length=None) -> bytes:
    lines = [
        f"HTTP/1.1 {status} {REASONS.get(status, 'Status')}",
        f"Content-Type: {content_type}",
        "Connection: close",
    ] + ([f"Content-Length: {length}"] if length is not None else [])
    return ("\r\n".join(lines) + "\r\n\r\n").encode()
