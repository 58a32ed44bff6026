"""Listening for many fake hosts in one process, and a network's delay on the bytes they receive.

A class of a thousand students is three thousand SSH servers and as many web
servers: one thread accepts for every listening socket (a selector), and each
connection gets a thread of its own, as sshd forks a process per connection.
"""

import collections
import resource
import select
import selectors
import socket
import threading
import time
from typing import Callable


def raise_open_files() -> int:
    """The soft limit on open files raised to the hard one: every fake host holds a listening socket."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft != hard:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    return hard


class Listeners:
    """Listening sockets, each with what handles its connections, until `stop`."""

    def __init__(self):
        raise_open_files()
        self._selector = selectors.DefaultSelector()
        self._connections = set()
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._thread = None

    def listen(self, address: str, port: int, handle: Callable[[socket.socket], None], latency: float = 0.0) -> None:
        """`handle(connection)` in a thread of its own for every connection to (address, port); what the client
        sends reaches it `latency` seconds late."""
        listener = socket.create_server((address, port), backlog=128)
        listener.setblocking(False)
        self._selector.register(listener, selectors.EVENT_READ, (handle, latency))

    def start(self) -> "Listeners":
        self._thread = threading.Thread(target=self._accept, name="fake-accept", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        if self._thread is not None:
            self._thread.join()
        for key in list(self._selector.get_map().values()):
            key.fileobj.close()
        self._selector.close()
        with self._lock:
            connections, self._connections = list(self._connections), set()
        for connection in connections:
            _close(connection)

    def __enter__(self) -> "Listeners":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    @property
    def stopping(self) -> bool:
        return self._stopping.is_set()

    def _accept(self) -> None:
        while not self._stopping.is_set():
            for key, _ in self._selector.select(timeout=0.2):
                try:
                    connection, _ = key.fileobj.accept()
                except (BlockingIOError, ConnectionAbortedError):
                    continue
                connection.setblocking(True)
                # sshd and nginx write a reply's messages at once; paramiko writes each alone, and Nagle would hold
                # every one after the first for the client's delayed ACK (40 ms a command)
                connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                handle, latency = key.data
                threading.Thread(target=self._serve, args=(connection, handle, latency), daemon=True).start()

    def _serve(self, connection: socket.socket, handle, latency: float) -> None:
        own = delayed(connection, latency) if latency > 0 else connection  # a delayed connection closes itself
        with self._lock:
            self._connections.update((connection, own))
        try:
            handle(own)
        except OSError:
            pass  # the client went away: so does this connection
        finally:
            _close(own)
            with self._lock:
                self._connections.difference_update((connection, own))


def delayed(outer: socket.socket, rtt: float) -> socket.socket:
    """A socket that receives what `outer` receives `rtt` seconds late, in order, and sends straight to it.

    Holding back only the client's bytes costs every round trip one `rtt`, the handshake's included, as a
    distant network does. TCP's own round trips are not slowed: the kernel still acknowledges at loopback
    speed, so a client's Nagle wait for an ACK costs what it costs on loopback, not an rtt."""
    inner, server_side = socket.socketpair()
    ends = [2]
    lock = threading.Lock()

    def done():
        with lock:
            ends[0] -= 1
            last = ends[0] == 0
        if last:
            _close(inner)
            _close(outer)

    def hold_back():
        pending = collections.deque()
        open_ = True
        try:
            while open_ or pending:
                wait = max(0.0, pending[0][0] - time.monotonic()) if pending else None
                if open_ and _readable(outer, wait):
                    data = outer.recv(65536)
                    if data:
                        pending.append((time.monotonic() + rtt, data))
                    else:
                        open_ = False
                elif pending:
                    time.sleep(max(0.0, pending[0][0] - time.monotonic()))
                while pending and pending[0][0] <= time.monotonic():
                    inner.sendall(pending.popleft()[1])
            inner.shutdown(socket.SHUT_WR)
        except OSError:
            pass
        finally:
            done()

    def forward():
        try:
            while True:
                data = inner.recv(65536)
                if not data:
                    break
                outer.sendall(data)
            outer.shutdown(socket.SHUT_RDWR)  # the server is gone: what the client still sends goes nowhere
        except OSError:
            pass
        finally:
            done()

    threading.Thread(target=hold_back, daemon=True).start()
    threading.Thread(target=forward, daemon=True).start()
    return server_side


def _readable(sock: socket.socket, timeout) -> bool:
    poll = select.poll()  # select() cannot wait on descriptors past 1024, and a class holds thousands
    poll.register(sock, select.POLLIN)
    return bool(poll.poll(None if timeout is None else timeout * 1000))


def _close(sock: socket.socket) -> None:
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass
    sock.close()
