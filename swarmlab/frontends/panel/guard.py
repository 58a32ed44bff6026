"""What stands between the panel's forms and whoever reaches port 9443: a cap on request bodies, the first visit's
window, and a throttle on wrong passwords.

The first administrator is whoever fills the first visit's form, as in Portainer. That form stays open for five
minutes after the panel starts and then closes until the panel is restarted, as Portainer times its own setup
out, rather than asking for a one-time token from the service's log: the lesson teaches Portainer, whose first
visit has no token, and the panel's pictures (notebook 09) make the administrator right after the stack starts,
from a machine that has the panel's address and nothing more. The window leaves a stranger the minutes in which
the student who just started the panel is about to open it themself, and a panel nobody claimed in time says how
to open the window again (`docker service update --force portainer_portainer`) instead of waiting for anyone.

Wrong passwords are counted per login name and per client address, each counted before its password is checked,
so parallel requests are as many tries, and a guesser is slowed alike whether they try one name from many
addresses or many names from one. Behind the swarm's ingress every client shares one address: the throttle then
slows every login after five wrong ones, for at most five minutes.
"""

import threading
import time
import unicodedata
from collections import OrderedDict
from typing import Callable

BODY_LIMIT = 8192  # bytes: the forms have three short fields
SETUP_SECONDS = 300.0
FREE = 5  # wrong passwords a name or an address may send before each next one waits
LONGEST = 300.0  # seconds: the longest wait (1 s after the 5th, doubling)
FORGET = 900.0  # seconds after the last wrong password, a name or an address starts afresh
KEEP = 10_000  # names and addresses remembered at most: a flood of names does not grow the panel without end


class TooLarge(Exception):
    pass


class BodyCap:
    """No request body beyond `limit` bytes is read: a declared length beyond it is answered 413 before a byte of
    the body is read, and a body without one (chunked) is cut, and answered 413, as soon as it passes the limit."""

    def __init__(self, app, limit: int = BODY_LIMIT):
        self.app, self.limit = app, limit

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.limit):
            return await self.refuse(send)
        seen, started = 0, False

        async def counted():
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit:
                    raise TooLarge
            return message

        async def sending(message):
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted, sending)
        except TooLarge:
            if started:
                raise
            await self.refuse(send)

    async def refuse(self, send) -> None:
        body = f"request body larger than {self.limit} bytes\n".encode()
        headers = [(b"content-type", b"text/plain; charset=utf-8"), (b"content-length", str(len(body)).encode())]
        await send({"type": "http.response.start", "status": 413, "headers": [*headers, (b"connection", b"close")]})
        await send({"type": "http.response.body", "body": body})


class SetupWindow:
    def __init__(self, seconds: float = SETUP_SECONDS, clock: Callable[[], float] = time.monotonic):
        self.clock, self.closes = clock, clock() + seconds

    def open(self) -> bool:
        return self.clock() < self.closes


def login_keys(username: str, address: str) -> tuple:
    """What one login attempt is counted against: its name (as the user record compares it) and its address."""
    return ("name", unicodedata.normalize("NFC", username or "").casefold()), ("address", address)


class Throttle:
    def __init__(self, clock: Callable[[], float] = time.monotonic):
        self.clock = clock
        self._lock = threading.Lock()
        self._wrong: OrderedDict = OrderedDict()  # key: (wrong passwords, when the last one came)

    def admit(self, *keys) -> float:
        """0 when these keys may try now, the attempt counted as wrong until `passed` says otherwise; else the
        seconds left to wait, the attempt not counted (a waiting user who tries again is not pushed further)."""
        now = self.clock()
        with self._lock:
            wait = max(self._wait(key, now) for key in keys)
            if wait > 0:
                return wait
            for key in keys:
                count, _ = self._wrong.pop(key, (0, now))
                self._wrong[key] = (count + 1, now)
            while len(self._wrong) > KEEP:
                self._wrong.popitem(last=False)
            return 0.0

    def passed(self, *keys) -> None:
        with self._lock:
            for key in keys:
                self._wrong.pop(key, None)

    def _wait(self, key, now: float) -> float:
        count, last = self._wrong.get(key, (0, now))
        if now - last > FORGET:
            del self._wrong[key]
            return 0.0
        if count < FREE:
            return 0.0
        return max(0.0, last + min(2.0 ** (count - FREE), LONGEST) - now)
