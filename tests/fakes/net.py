"""Listening for many fake hosts in one process, and a network's delay on the bytes they receive.

A class of a thousand students is three thousand SSH servers and as many web
servers: one thread accepts for every listening socket (a selector), each
connection gets a thread of its own, as sshd forks a process per connection,
and one event loop delays every connection's bytes.
"""

import asyncio
import resource
import selectors
import socket
import threading
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
    speed, so a client's Nagle wait for an ACK costs what it costs on loopback, not an rtt. Every delayed
    connection of the process is carried by one event loop, so that a class of thousands costs no thread
    per connection for it."""
    inner, server_side = socket.socketpair()
    asyncio.run_coroutine_threadsafe(_carry(outer, inner, rtt), _loop())
    return server_side


_delays: list = []
_delays_lock = threading.Lock()


def _loop() -> asyncio.AbstractEventLoop:
    with _delays_lock:
        if not _delays:
            loop = asyncio.new_event_loop()
            threading.Thread(target=loop.run_forever, name="fake-delays", daemon=True).start()
            _delays.append(loop)
        return _delays[0]


async def _carry(outer: socket.socket, inner: socket.socket, rtt: float) -> None:
    loop = asyncio.get_running_loop()
    outer.setblocking(False)
    inner.setblocking(False)
    pending: asyncio.Queue = asyncio.Queue()

    async def hold_back():
        try:
            while True:
                data = await loop.sock_recv(outer, 65536)
                pending.put_nowait((loop.time() + rtt, data))
                if not data:
                    return
        except OSError:
            pending.put_nowait((loop.time(), b""))

    async def deliver():
        while True:
            due, data = await pending.get()
            await asyncio.sleep(max(0.0, due - loop.time()))
            if not data:
                inner.shutdown(socket.SHUT_WR)
                return
            await loop.sock_sendall(inner, data)

    async def forward():
        while True:
            data = await loop.sock_recv(inner, 65536)
            if not data:
                break
            await loop.sock_sendall(outer, data)
        outer.shutdown(socket.SHUT_RDWR)  # the server is gone: what the client still sends goes nowhere

    try:
        await asyncio.gather(hold_back(), _quietly(deliver()), _quietly(forward()))
    finally:
        _close(inner)
        _close(outer)


async def _quietly(step) -> None:
    try:
        await step
    except OSError:
        pass  # either end went away: the other is closed with it


def _close(sock: socket.socket) -> None:
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass
    sock.close()
