"""The dashboard's web app: one refresher reads, every open page is told.

Starlette serves the pages and the snapshots, uvicorn runs it, and each page
holds one server-sent-events stream (sse-starlette) on which every new snapshot
arrives. However many pages are open, one background task calls the source,
one call at a time: a read that outlasts the interval delays the next one
instead of overlapping it, and nothing is read while no page is open.
"""

import asyncio
import contextlib
import errno
import json
import socket
import threading
import time
from datetime import datetime, timezone
from importlib.resources import files
from pathlib import Path
from typing import Callable, Optional

import uvicorn
from sse_starlette.sse import EventSourceResponse
from starlette.applications import Starlette
from starlette.datastructures import MutableHeaders
from starlette.middleware import Middleware
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from ... import i18n
from ...errors import UsageError
from .data import masked

# Nothing but this server may be asked for anything: no CDN, no font, no tracker, even by mistake.
POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'; "
    "frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
)
PAGES = {"cluster": "cluster.html", "class": "board.html"}
PING = 15  # seconds between keep-alive comments on a quiet stream, so proxies and browsers keep it open


def static() -> Path:
    return Path(str(files(__package__) / "static"))


class Refresher:
    """Calls the source every `interval` seconds while a page is open, never twice at once, and hands every
    snapshot (masked, as JSON text) to each open page's queue."""

    def __init__(
        self,
        source: Callable,
        interval: float,
        mask: Callable[[str], str],
        on_round: Optional[Callable[[dict, float], None]] = None,
    ):
        self.source, self.interval, self.mask, self.on_round = source, interval, mask, on_round
        self.latest: Optional[str] = None
        self.rounds = 0
        self._data: dict = {}
        self._queues: set = set()
        self._watched: Optional[asyncio.Event] = None
        self._loop: Optional[asyncio.AbstractEventLoop] = None

    async def run(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._watched = asyncio.Event()
        due = self._loop.time()
        while True:
            if self.rounds and not self._queues:
                self._watched.clear()
                await self._watched.wait()
            # A page opened after a pause waits out the interval too: two reads are never closer than that.
            await asyncio.sleep(max(0.0, due - self._loop.time()))
            due = self._loop.time() + self.interval
            await self._round()

    async def _round(self) -> None:
        done = self._loop.create_future()
        started = time.monotonic()

        def partial(data: dict) -> None:
            self._soon(self._publish, data, None, time.monotonic() - started, True)

        def work() -> None:
            try:
                data, error = self.source(partial), None
            except Exception as err:  # the page says what went wrong and keeps the last picture
                data, error = None, (str(err).strip().splitlines() or [type(err).__name__])[0][:300]
            self._soon(lambda: done.done() or done.set_result((data, error)))

        # A daemon thread, not the default executor: Ctrl-C must not wait for a read stuck on a silent node.
        threading.Thread(target=work, name="dashboard-read", daemon=True).start()
        data, error = await done
        self.rounds += 1
        self._publish(data, error, time.monotonic() - started, False)

    def _soon(self, fn, *args) -> None:
        with contextlib.suppress(RuntimeError):  # the loop closed while a read was still out
            self._loop.call_soon_threadsafe(fn, *args)

    def _publish(self, data: Optional[dict], error: Optional[str], seconds: float, partial: bool) -> None:
        if data is not None:
            self._data = data
        meta = {
            "round": self.rounds,
            "partial": partial,
            "error": error,
            "seconds": round(seconds, 2),
            "interval": self.interval,
            "at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        }
        shown = masked({**self._data, "refresh": meta}, self.mask)
        self.latest = json.dumps(shown, ensure_ascii=False)
        for queue in self._queues:
            if queue.full():
                queue.get_nowait()  # a page that fell behind only needs the newest snapshot
            queue.put_nowait(self.latest)
        if not partial and self.on_round is not None:
            self.on_round(shown, seconds)

    def subscribe(self) -> asyncio.Queue:
        queue = asyncio.Queue(maxsize=1)
        self._queues.add(queue)
        if self._watched is not None:
            self._watched.set()
        return queue

    def unsubscribe(self, queue: asyncio.Queue) -> None:
        self._queues.discard(queue)


class Headers:
    """The policy on every response; plain ASGI, so the event streams pass through untouched."""

    def __init__(self, app, policy: str = POLICY, extra: Optional[dict] = None):
        self.app, self.policy, self.extra = app, policy, extra or {}

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)

        async def sending(message):
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers["Content-Security-Policy"] = self.policy
                headers["Cache-Control"] = "no-store"
                headers["X-Content-Type-Options"] = "nosniff"
                for name, value in self.extra.items():
                    headers[name] = value
            await send(message)

        await self.app(scope, receive, sending)


def page(path: Path, lang: str) -> str:
    """A page in its language, carrying every language's words for its scripts (i18n.page_words): swarmlab/i18n stays
    their one source, and a JSON block is read without a request and runs nothing (the policy allows no inline
    script)."""
    words = json.dumps({each: i18n.page_words(each) for each in i18n.LANGS}, ensure_ascii=False)
    return (
        path.read_text(encoding="utf-8").replace("{{lang}}", lang).replace("{{words}}", words.replace("<", "\\u003c"))
    )


def create_app(refresher: Refresher, kind: str, lang: str = "ru") -> Starlette:
    html = page(static() / PAGES[kind], lang)

    async def index(request):
        return HTMLResponse(html)

    async def snapshot(request):
        if refresher.latest is None:
            return JSONResponse({"waiting": True}, status_code=503, headers={"Retry-After": "1"})
        return Response(refresher.latest, media_type="application/json")

    return Starlette(
        routes=[
            Route("/", index),
            Route("/snapshot.json", snapshot),
            Route("/events", events(refresher)),
            Mount("/static", StaticFiles(directory=static()), name="static"),
        ],
        middleware=[Middleware(Headers)],
        lifespan=lifespan(refresher),
    )


def events(refresher: Refresher):
    """The endpoint of one page's event stream: the latest snapshot at once, then every new one."""

    async def endpoint(request):
        queue = refresher.subscribe()

        async def stream():
            try:
                if refresher.latest is not None:
                    yield {"event": "snapshot", "data": refresher.latest}
                while True:
                    yield {"event": "snapshot", "data": await queue.get()}
            finally:
                refresher.unsubscribe(queue)

        return EventSourceResponse(stream(), ping=PING)

    return endpoint


def lifespan(refresher: Refresher):
    """The refresher runs as long as the app does."""

    @contextlib.asynccontextmanager
    async def running(app):
        task = asyncio.create_task(refresher.run())
        try:
            yield
        finally:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    return running


def bind(host: str, port: int) -> socket.socket:
    """The listening socket, bound before anything else starts, so a taken port is one clear line."""
    try:
        family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
    except socket.gaierror:
        raise UsageError(f"--host {host}: not an address of this machine: use 127.0.0.1") from None
    sock = socket.socket(family, kind, proto)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind(address)
        sock.listen(128)
    except OSError as err:
        sock.close()
        if err.errno == errno.EADDRINUSE:
            raise UsageError(
                f"port {port} on {host} is in use: pass another --port (or --port 0 for a free one)"
            ) from None
        raise UsageError(f"cannot listen on {host}:{port} ({err.strerror}): pass another --host or --port") from None
    sock.set_inheritable(True)
    return sock


def serve(app: Starlette, sock: socket.socket) -> None:
    """Serve until Ctrl-C (or SIGTERM): uvicorn stops accepting, the event streams end, the refresher is cancelled."""
    server = uvicorn.Server(
        uvicorn.Config(app, log_level="warning", access_log=False, lifespan="on", timeout_graceful_shutdown=3)
    )
    server.run(sockets=[sock])
