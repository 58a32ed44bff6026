"""What the suites that open the pages in headless Chromium share: the browser's flags, a page that keeps every
error and every request beyond loopback, and `swarmlab dashboard` run as a user runs it."""

import re
import signal
import subprocess
import time
from contextlib import contextmanager
from urllib.parse import urlparse

from .conftest import ROOT, SWARMLAB

ARTIFACTS = ROOT / "out" / "artifacts" / "dashboard"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


class Watched:
    """A page whose console errors are kept and whose every request beyond 127.0.0.1 is aborted and kept."""

    def __init__(self, context):
        self.page = context.new_page()
        self.errors, self.outside, self.requests = [], [], []
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        self.page.on("pageerror", lambda err: self.errors.append(str(err)))
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.route("**/*", self._route)

    def _route(self, route):
        if urlparse(route.request.url).hostname == "127.0.0.1":
            route.continue_()
        else:
            self.outside.append(route.request.url)
            route.abort()

    def clean(self):
        assert self.errors == [], self.errors
        assert self.outside == [], self.outside
        assert all(urlparse(url).hostname == "127.0.0.1" for url in self.requests), self.requests

    def shot(self, name: str):
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(ARTIFACTS / name), full_page=True)

    def close(self):
        self.page.close()


@contextmanager
def dashboard(tmp_path, *args):
    """`swarmlab dashboard ... --port 0` as a user runs it; stopped with Ctrl-C, which must end it cleanly."""
    out, err = tmp_path / f"dashboard-{time.monotonic_ns()}.out", tmp_path / f"dashboard-{time.monotonic_ns()}.err"
    with open(out, "w") as stdout, open(err, "w") as stderr:
        proc = subprocess.Popen(
            [SWARMLAB, "dashboard", "--port", "0", *args], stdout=stdout, stderr=stderr, stdin=subprocess.DEVNULL
        )
    try:
        deadline = time.monotonic() + 60
        while not re.search(r"http://127\.0\.0\.1:\d+/", out.read_text()):
            assert proc.poll() is None and time.monotonic() < deadline, (out.read_text(), err.read_text())
            time.sleep(0.1)
        yield re.search(r"http://127\.0\.0\.1:\d+/", out.read_text()).group(0), err
    except BaseException:
        proc.kill()
        proc.wait()
        raise
    started = time.monotonic()
    proc.send_signal(signal.SIGINT)
    proc.wait(timeout=30)
    assert proc.returncode == 0, err.read_text()
    assert time.monotonic() - started < 10
    assert "dashboard stopped" in err.read_text() and "Traceback" not in err.read_text()
