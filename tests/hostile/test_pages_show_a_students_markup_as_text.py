"""The instructor's browser against a student's markup: the dashboard, the class board and the panel, in headless
Chromium, over fake student hosts (and, for the panel, a recording) whose task errors, exit codes, hostnames,
labels, container names and logs carry HTML. Each page must show it as the text it is, go nowhere and run nothing:
no element of the student's, no request beyond loopback, no error in the console (a blocked inline handler would be
one), and the page still where it was opened.
"""

import contextlib
import json
import shutil
import socket
import threading
import time

import pytest

from swarmlab.lab import host

from ..browser import FLAGS, Watched, dashboard
from .conftest import edited

NAVIGATE = '<meta http-equiv="refresh" content="0;url=http://198.51.100.1/">'
IMAGE = '<img src="http://198.51.100.1/x.png" onerror="window.__ran = 1">'
DRAWING = '<svg onload="window.__ran = 1"><a href="javascript:window.__ran = 1">go</a></svg>'
PAYLOAD = NAVIGATE + IMAGE + DRAWING
FOREIGN = "meta[http-equiv], img, body svg[onload], [onerror], [onload], a[href^='javascript']"


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    from playwright.sync_api import sync_playwright

    host.require_commands({"chromium": "chromium"})
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(tmp_path_factory.mktemp("chromium-profile")),
            executable_path=shutil.which("chromium"),
            headless=True,
            args=FLAGS,
            viewport={"width": 1500, "height": 1000},
            ignore_https_errors=True,
        )
        yield context
        context.close()


def hostile(recording):
    """The recording with the payload in a task's error, message and exit code, a worker's hostname, and a node's
    labels (name and value)."""

    def broken(tasks):
        status = tasks[0]["Status"]
        status.update({"Err": "err " + PAYLOAD, "Message": "msg " + PAYLOAD, "State": "rejected"})
        status.setdefault("ContainerStatus", {})["ExitCode"] = PAYLOAD
        return tasks

    def renamed(nodes):
        nodes[-1]["Description"]["Hostname"] = "worker-2" + PAYLOAD
        nodes[0]["Spec"].setdefault("Labels", {})["tier" + PAYLOAD] = PAYLOAD
        return nodes

    return edited(edited(recording, "manager", "tasks", broken), "manager", "nodes", renamed)


def holds(watched, url, *where):
    """The payload is text in each of `where`, and the page made nothing of it."""
    page = watched.page
    for selector in where:
        page.locator(selector).first.wait_for(state="attached")
        assert PAYLOAD in page.locator(selector).first.text_content(), selector
    page.wait_for_timeout(1500)  # a refresh of 0 seconds, an image's error or an onload would have happened by now
    assert page.locator(FOREIGN).count() == 0
    assert page.evaluate("window.__ran") is None
    assert page.url.split("#")[0] == url
    watched.clean()


def test_the_dashboard_shows_a_students_markup_as_text(students, healthy, browser, tmp_path):
    student = students.add(hostile(healthy))
    with dashboard(tmp_path, "--inventory", str(student.inventory), "--lang", "en", "--interval", "300") as (url, _):
        watched = Watched(browser)
        watched.page.goto(url)
        watched.page.locator("details.stage").first.wait_for(state="attached")
        holds(watched, url, ".node [data-error]", ".node .err:not([data-error])", ".node .label", "#overlay svg")
        assert "exit code " + PAYLOAD in watched.page.locator(".node .err:not([data-error])").first.text_content()
        watched.shot("hostile-cluster.png")
        watched.close()


def test_the_class_board_shows_a_students_markup_as_text(students, healthy, browser, tmp_path):
    student = students.add(hostile(healthy))
    roster = students.roster(student)
    args = ("--roster", str(roster), "--known-hosts", str(students.known_hosts), "--lang", "en", "--interval", "300")
    with dashboard(tmp_path, *args) as (url, _):
        watched = Watched(browser)
        page = watched.page
        page.goto(url)
        page.wait_for_selector('[data-progress="done"]', timeout=180_000)
        page.locator(f'[data-cell="{student.id}/join"]').click()
        page.locator(f'[data-detail="{student.id}/join"]').wait_for()
        holds(watched, url, "#detail .checks")
        watched.shot("hostile-board.png")
        watched.close()


@contextlib.contextmanager
def panel(source, data):
    """The panel's app over `source`, served with its own certificate on a free loopback port."""
    import uvicorn

    from swarmlab.frontends.panel.app import certificate, create_app

    cert, key = certificate(data)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = uvicorn.Server(
        uvicorn.Config(
            create_app(source, data, "en", interval=300),
            host="127.0.0.1",
            port=port,
            ssl_certfile=str(cert),
            ssl_keyfile=str(key),
            log_level="warning",
        )
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline
        time.sleep(0.05)
    try:
        yield f"https://127.0.0.1:{port}/"
    finally:
        server.should_exit = True
        thread.join(10)


def test_the_panel_shows_a_students_markup_as_text(healthy, browser, tmp_path, monkeypatch):
    from swarmlab.frontends.panel import source as panel_source
    from swarmlab.transport.factory import replayed

    def containers(found):
        found[0]["Name"] = "/web" + PAYLOAD
        found[0]["Config"]["Image"] = "nginx" + PAYLOAD
        return found

    recording = edited(hostile(healthy), "worker-1", "containers", containers)
    path = tmp_path / "hostile.json"
    path.write_text(json.dumps(recording.as_dict()))
    monkeypatch.setattr(panel_source, "discover", lambda host, port, secret: replayed(path))

    class Agents(panel_source.AgentSource):
        def logs(self, node, container, tail=200):
            return ["log " + PAYLOAD, PAYLOAD]

    with panel(Agents(secret=b"shared"), tmp_path / "data") as url:
        watched = Watched(browser)
        page = watched.page
        page.goto(url)
        page.fill("input[name=username]", "admin")
        page.fill("input[name=password]", "correct-horse-battery")
        page.fill("input[name=confirm]", "correct-horse-battery")
        page.click("button[type=submit]")
        page.locator("[data-stack]").first.wait_for(state="attached")
        page.goto(url + "#containers")
        row = "#view-containers tr[data-container^='web']"
        holds(watched, url, f"{row} b", f"{row} td.mono")
        page.locator(f"{row} button.logs").click()
        holds(watched, url, "#logs pre[data-log]")
        page.goto(url + "#visualiser")
        holds(watched, url, "#cluster .node [data-error]", "#cluster .node .label")
        watched.shot("hostile-panel.png")
        watched.close()


class FakeAgents:
    """A panel source that reads nothing: the login form needs no cluster."""

    mask = staticmethod(lambda text: text)

    def __call__(self, progress=None):
        return {"kind": "cluster"}


def sent_until_answered(url: str, head: bytes, chunk: bytes, most: int) -> tuple:
    """(bytes of body sent, the answer's status line) for a POST that sends `chunk` after `chunk` until the panel
    answers or `most` bytes are out."""
    import ssl
    from urllib.parse import urlparse

    where = urlparse(url)
    context = ssl.create_default_context()
    context.check_hostname, context.verify_mode = False, ssl.CERT_NONE
    sent = 0
    with socket.create_connection((where.hostname, where.port), timeout=10) as raw:
        with context.wrap_socket(raw, server_hostname=where.hostname) as tls:
            tls.sendall(head)
            tls.settimeout(0.01)
            answer = b""
            while sent < most and not answer:
                try:
                    tls.sendall(chunk)
                    sent += len(chunk)
                    answer = tls.recv(256)
                except (TimeoutError, ssl.SSLWantReadError):
                    continue
                except (ConnectionError, ssl.SSLError):
                    break
            tls.settimeout(10)
            while not answer.count(b"\r\n"):
                more = tls.recv(256)
                if not more:
                    break
                answer += more
    return sent, answer.split(b"\r\n")[0].decode()


@pytest.mark.parametrize("chunked", [False, True])
def test_a_gigabyte_posted_to_the_panels_login_is_refused_after_a_few_kilobytes(tmp_path, chunked):
    from swarmlab.frontends.panel.auth import Users

    assert Users(tmp_path / "data").create("admin", "correct-horse-battery")
    with panel(FakeAgents(), tmp_path / "data") as url:
        framing = b"Transfer-Encoding: chunked" if chunked else f"Content-Length: {2**30}".encode()
        head = b"POST /login HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n" + framing
        chunk = b"4000\r\n" + b"a" * 0x4000 + b"\r\n" if chunked else b"a" * 0x4000
        sent, status = sent_until_answered(url, head + b"\r\n\r\n", chunk, 2**30)
    assert status == "HTTP/1.1 413 Request Entity Too Large" and sent < 2**20, (sent, status)


def test_the_class_board_shows_each_students_answers_as_judged_and_their_markup_as_text(
    students, healthy, browser, tmp_path
):
    student = students.add(healthy)
    folder = tmp_path / "answers"
    folder.mkdir()
    given = NAVIGATE + IMAGE  # an answer is at most 200 characters
    answers = {"manager_id": {"value": given}, "db_node": {"value": "manager"}}
    (folder / f"{student.id}.json").write_text(json.dumps({"version": 1, "answers": answers}))
    rubric = tmp_path / "rubric.yaml"
    rubric.write_text("version: 1\nstages:\n  init: 10\nquestions: 10\n")
    args = ("--roster", str(students.roster(student)), "--known-hosts", str(students.known_hosts), "--lang", "en")
    with dashboard(tmp_path, *args, "--rubric", str(rubric), "--answers", str(folder), "--interval", "300") as (url, _):
        watched = Watched(browser)
        page = watched.page
        page.goto(url)
        page.wait_for_selector('[data-progress="done"]', timeout=180_000)
        page.locator(f'[data-cell="{student.id}/answers"]').click()
        page.locator(f'[data-detail="{student.id}/answers"]').wait_for()
        assert page.locator('[data-answer="db_node"]').get_attribute("data-outcome") == "right"
        wrong = page.locator('[data-answer="manager_id"]')
        assert wrong.get_attribute("data-outcome") == "wrong"
        shown = wrong.locator(".given code").text_content()  # the gradebook shortens a long answer
        assert shown.endswith("…") and given.startswith(shown[:-1]) and len(shown) > 40
        page.wait_for_timeout(1500)
        assert page.locator(FOREIGN).count() == 0 and page.evaluate("window.__ran") is None
        assert page.url.split("#")[0] == url
        watched.shot("board-answers.png")
        watched.close()
