"""Fetching a node's page from where the student's browser would: this machine, over HTTP(S).

A student's page is hostile input: it may send the browser anywhere, never end, or trickle. So a fetch goes to
the node's own address only and follows no redirect (a 3xx is reported as where a browser would be sent, never
fetched), reads at most LIMIT bytes, and ends at its deadline whatever the server does: a watchdog shuts the
socket down. A failed fetch becomes a kind that a student understands (nothing listens on port 80, no answer at
all, an answer that never finishes), never a library's exception text.
"""

import errno
import http.client
import socket
import ssl
import threading
from typing import NamedTuple, Optional

LIMIT = 256 * 1024  # bytes of a page kept; the lesson's page is a few hundred


class FetchFailed(Exception):
    """`kind`: refused, no-answer, slow-answer, reset, unreachable, unknown-host, too-large or not-http."""

    KINDS = ("refused", "no-answer", "slow-answer", "reset", "unreachable", "unknown-host", "too-large", "not-http")

    def __init__(self, kind: str):
        super().__init__(kind)
        self.kind = kind


class Answer(NamedTuple):
    status: int
    body: str
    location: Optional[str] = None  # where a 3xx would send a browser (not followed)


def _unverified() -> ssl.SSLContext:
    """The panel's certificate is self-signed, as the lesson's Portainer's is: its page is read, not trusted."""
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    return context


class Browser:
    def get(
        self, node: str, address: str, path: str = "/", timeout: float = 5, scheme: str = "http", port=None
    ) -> Answer:
        """The answer of scheme://address[:port]/path, decoded as the lesson's pages are written."""
        if scheme == "https":
            conn: http.client.HTTPConnection = http.client.HTTPSConnection(
                address, port or 443, timeout=timeout, context=_unverified()
            )
        else:
            conn = http.client.HTTPConnection(address, port or 80, timeout=timeout)
        fired = threading.Event()
        opened: list = []  # the socket, kept here: http.client lets go of it once a closing answer has begun

        def stop():
            fired.set()
            for sock in opened:
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

        watchdog = threading.Timer(timeout, stop)
        watchdog.daemon = True
        watchdog.start()
        connected = False
        try:
            conn.connect()
            opened.append(conn.sock)
            connected = True
            conn.request("GET", path, headers={"User-Agent": "swarmlab", "Accept": "text/html", "Connection": "close"})
            response = conn.getresponse()
            body = response.read(LIMIT + 1)
            if fired.is_set():
                raise FetchFailed("slow-answer")
            if len(body) > LIMIT:
                raise FetchFailed("too-large")
            location = response.getheader("Location") if 300 <= response.status < 400 else None
            charset = response.headers.get_content_charset() or "utf-8"
            try:
                text = body.decode(charset, errors="replace")
            except LookupError:
                text = body.decode("utf-8", errors="replace")
            return Answer(response.status, text, location)
        except FetchFailed:
            raise
        except Exception as err:
            raise FetchFailed(_kind(err, connected, fired.is_set())) from None
        finally:
            watchdog.cancel()
            conn.close()


def _kind(err: Exception, connected: bool, timed_out: bool) -> str:
    if timed_out or isinstance(err, (socket.timeout, TimeoutError)):
        return "slow-answer" if connected else "no-answer"
    if isinstance(err, ConnectionRefusedError):
        return "refused"
    if isinstance(err, (ConnectionResetError, BrokenPipeError, http.client.RemoteDisconnected)):
        return "reset"
    if isinstance(err, socket.gaierror):
        return "unknown-host"
    if isinstance(err, (http.client.HTTPException, ssl.SSLError)):
        return "not-http"
    if isinstance(err, OSError) and err.errno in (errno.EHOSTUNREACH, errno.ENETUNREACH, errno.EADDRNOTAVAIL):
        return "unreachable"
    return "reset" if connected else "unreachable"


def key(path: str, scheme: str = "http", port=None) -> str:
    """How a recording names a page: its path, prefixed by scheme and port unless plain http."""
    return path if scheme == "http" and port is None else f"{scheme}:{port or ''}{path}"
