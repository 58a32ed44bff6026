"""The dashboard and the class board, proven in headless Chromium against real labs.

The healthy lab is the suite's (3 nodes, the lesson run), the faulty one a fresh
1-node lab dash-test-2 whose lesson stops after the network. Screenshots go to
out/artifacts/dashboard/.
"""

import asyncio
import json
import signal
import socket
import subprocess
import threading
import time
from contextlib import contextmanager

import pytest

from swarmlab.lesson.spec import PART_STAGES
from swarmlab.paths import lab_dir
from swarmlab.state.templates import matched
from swarmlab.transport import inventory
from swarmlab.waiting import until

from ..browser import FLAGS, Watched, dashboard
from ..conftest import ROOT, SWARMLAB, assert_one_clear_line, swarmlab

pytestmark = pytest.mark.lab
RUBRIC = (
    "version: 1\npart: 1\nstages: {init: 10, join: 15, network: 10, sync: 10, stacks: 25, vip: 10, "
    "connectivity: 5, pages: 15}\n"
)
# A stateless fault with a task error in Docker's words; one on the db would move it away from its data.
FAULT = ("docker", "service", "update", "-d", "--image", "swarmlab/php-fpm:missing", "core_php-fpm")
RESTORE = ("docker", "service", "rollback", "-d", "core_php-fpm")


def ok(done):
    assert done.returncode == 0, (done.args, done.stdout[-2000:], done.stderr[-2000:])
    return done


def in_thread(fn):
    """Run fn in a thread of its own, so that its event loop never meets Playwright's."""
    found = {}

    def call():
        try:
            found["value"] = fn()
        except BaseException as err:
            found["error"] = err

    thread = threading.Thread(target=call)
    thread.start()
    thread.join()
    if "error" in found:
        raise found["error"]
    return found.get("value")


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# -- labs and the browser ------------------------------------------------------------------------------


@contextmanager
def small_lab(name: str, nodes: int, through: str, fresh: bool):
    from swarmlab.lab.lab import Lab

    existed = Lab(name).is_complete() and not fresh
    if not existed:
        Lab(name).down()
    ok(swarmlab("lab", "up", "--lab", name, "--nodes", str(nodes), "--exist-ok", "-q", timeout=900))
    try:
        ok(swarmlab("lesson", "run", "--lab", name, "--through", through, "-q", timeout=900))
        from swarmlab.paths import default_inventory

        yield name, default_inventory(name)
    finally:
        if not existed:
            Lab(name).down()


@pytest.fixture(scope="module")
def healthy_lab(lab, lesson_run):
    return lab.name, lab.inventory_path


@pytest.fixture(scope="module")
def faulty_lab():
    with small_lab("dash-test-2", 1, "network", fresh=True) as found:
        yield found


@pytest.fixture(scope="module")
def browser(chromium, tmp_path_factory):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(tmp_path_factory.mktemp("chromium-profile")),
            executable_path=str(chromium),
            headless=True,
            args=FLAGS,
            viewport={"width": 1500, "height": 1000},
        )
        yield context
        context.close()


def snapshot(url: str) -> dict:
    import requests

    return requests.get(url + "snapshot.json", timeout=10).json()


# -- no lab: the refresher and bad input ----------------------------------------------------------------


class SlowSource:
    """A source slower than the interval, counting its calls and how many ran at once."""

    def __init__(self, seconds: float):
        self.seconds, self.calls, self.running, self.most, self.starts = seconds, 0, 0, 0, []
        self.lock = threading.Lock()

    def __call__(self, progress=None):
        with self.lock:
            self.starts.append(time.monotonic())
            self.calls += 1
            self.running += 1
            self.most = max(self.most, self.running)
        time.sleep(self.seconds)
        with self.lock:
            self.running -= 1
        return {"kind": "cluster", "call": self.calls}


def test_one_refresher_serves_every_page_one_read_at_a_time_and_reads_nothing_while_no_page_is_open():
    from swarmlab.frontends.dashboard.app import Refresher

    source = SlowSource(0.3)
    refresher = Refresher(source, interval=0.1, mask=lambda text: text)

    async def scenario():
        task = asyncio.create_task(refresher.run())
        pages = [refresher.subscribe() for _ in range(3)]
        await asyncio.sleep(2.0)
        watched = source.calls
        for page in pages:
            refresher.unsubscribe(page)
        await asyncio.sleep(0.5)
        idle = source.calls
        await asyncio.sleep(1.5)
        task.cancel()
        return watched, idle, [page.get_nowait() for page in pages]

    watched, idle, last = in_thread(lambda: asyncio.run(scenario()))
    assert source.most == 1
    assert 4 <= watched <= 2.0 / 0.3 + 1  # three pages, yet one read after another, none overlapping
    assert source.calls == idle  # no page open: nothing read
    assert all(json.loads(text)["refresh"]["round"] >= watched - 1 for text in last)


def test_two_reads_are_never_closer_than_the_interval_even_when_a_page_opens_after_a_pause():
    from swarmlab.frontends.dashboard.app import Refresher

    class Timed(Refresher):
        """Notes when each round leaves, on the loop's clock: a thread's start under load only adds noise."""

        left: list = []

        async def _round(self):
            self.left.append(self._loop.time())
            await super()._round()

    source = SlowSource(0.01)
    refresher = Timed(source, interval=0.5, mask=lambda text: text)

    async def scenario():
        task = asyncio.create_task(refresher.run())
        await asyncio.sleep(0.2)  # the first read, then nobody watches
        for _ in range(3):
            page = refresher.subscribe()
            await asyncio.sleep(1.2)
            refresher.unsubscribe(page)
            await asyncio.sleep(0.3)
        task.cancel()

    in_thread(lambda: asyncio.run(scenario()))
    gaps = [b - a for a, b in zip(refresher.left, refresher.left[1:])]
    assert len(refresher.left) >= 4 and min(gaps) >= 0.5 - 0.001, gaps


def test_no_secret_of_the_lesson_reaches_a_page():
    from swarmlab import resources
    from swarmlab.frontends.dashboard.app import Refresher
    from swarmlab.secrets import MASK, Masker, lesson_passwords

    passwords = lesson_passwords(resources.level6())
    assert passwords
    token = "SWMTKN-1-" + "3" * 50 + "-" + "a" * 25
    refresher = Refresher(
        lambda progress: {
            "kind": "cluster",
            "evidence": [f"MYSQL_ROOT_PASSWORD={passwords[0]}"],
            "labels": {token: "x"},
        },
        60,
        Masker(*passwords),
    )

    async def scenario():
        task = asyncio.create_task(refresher.run())
        while refresher.latest is None:
            await asyncio.sleep(0.05)
        task.cancel()

    in_thread(lambda: asyncio.run(scenario()))
    assert passwords[0] not in refresher.latest and token not in refresher.latest
    assert refresher.latest.count(MASK) == 2


@pytest.mark.parametrize(
    "args, words",
    [
        (("--inventory", "/nonexistent/inventory.yaml"), ("--inventory", "no such file")),
        (("--lab", "dash-never-started"), ("no such inventory file",)),
        (
            (
                "--inventory",
                str(ROOT / "fixtures/inventory.example.yaml"),
                "--roster",
                str(ROOT / "fixtures/roster.example.csv"),
            ),
            ("--inventory and --roster", "not both"),
        ),
        (("--lab", "a", "--replay", str(ROOT / "tests/recordings/healthy.20.10.json.gz")), ("--lab and --replay",)),
        (("--rubric", str(ROOT / "swarmlab/grading/rubric.yaml")), ("--rubric", "--roster")),
        (("--answers", str(ROOT / "fixtures")), ("--answers", "--roster")),
        (("--interval", "0"), ("--interval", "give more than 0")),
        (("--port", "70000"), ("--port 70000",)),
        (("--roster", "/nonexistent/roster.csv"), ("no such roster file",)),
    ],
)
def test_bad_input_is_one_clear_line_and_exit_2(args, words):
    assert_one_clear_line(swarmlab("dashboard", *args, timeout=60), 2, *words)


def test_a_port_in_use_is_one_clear_line_and_exit_2(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        recording = tmp_path / "empty.json"
        recording.write_text(
            json.dumps(
                {
                    "version": 1,
                    "name": "empty",
                    "exchanges": [],
                    "inventory": {"nodes": [{"name": "manager", "role": "manager"}]},
                }
            )
        )
        done = swarmlab("dashboard", "--replay", str(recording), "--port", str(port), timeout=60)
    assert_one_clear_line(done, 2, f"port {port}", "in use", "--port")


def test_grade_interval_without_watch_is_one_clear_line_and_exit_2(tmp_path):
    done = swarmlab("grade", str(tmp_path / "r.csv"), "--interval", "5", timeout=60)
    assert_one_clear_line(done, 2, "--interval", "--watch")


def test_an_unreachable_cluster_says_why_on_every_node_fails_the_reachability_checks_and_blocks_the_rest(
    browser, tmp_path
):
    nodes = [("manager", "10.255.0.2", "manager"), ("worker-1", "10.255.0.3", "worker")]
    recording = tmp_path / "unreachable.json"
    recording.write_text(
        json.dumps(
            {
                "version": 1,
                "name": "unreachable",
                "exchanges": [
                    {
                        "node": name,
                        "unreachable": {"reason": "refused", "params": {"where": f"{address}:22", "host": address}},
                    }
                    for name, address, _ in nodes
                ],
                "inventory": {
                    "nodes": [{"name": name, "address": address, "role": role} for name, address, role in nodes]
                },
            }
        )
    )
    with dashboard(tmp_path, "--replay", str(recording), "--lang", "en", "--interval", "1") as (url, err):
        watched = Watched(browser)
        page = watched.page
        page.goto(url)
        page.locator('[data-banner="manager"]').wait_for()
        assert "connection to 10.255.0.2:22 refused" in page.locator('[data-banner="manager"]').inner_text()
        for name, address, _ in nodes:
            column = page.locator(f'.node[data-node="{name}"]')
            assert "unreachable" in column.inner_text() and f"{address}:22 refused" in column.inner_text()
        outcomes = {
            c.get_attribute("data-check"): c.get_attribute("data-outcome") for c in page.locator("li.check").all()
        }
        answers = {"init/manager_answers_with_docker", "join/every_worker_answers_with_docker"}
        assert {check for check, outcome in outcomes.items() if outcome != "blocked"} == answers
        assert all(outcomes[check] == "failed" for check in answers)
        worker = page.locator('[data-check="join/every_worker_answers_with_docker"]')
        assert "10.255.0.3:22 refused" in worker.inner_text()
        watched.shot("unreachable.png")
        watched.clean()
        watched.close()


# -- a class ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def roster(healthy_lab, faulty_lab, tmp_path_factory):
    """The class's rows list each student's workers, as an instructor's roster does when it names every VM."""
    folder = tmp_path_factory.mktemp("class")
    rows = ["id,name,manager,user,port,key,workers,become,known_hosts"]
    for sid, who, lab_name, address, port in (
        ("s01", "Анна Иванова", healthy_lab[0], None, 22),
        ("s02", "Boris Petrov", faulty_lab[0], None, 22),
        ("s03", "Carol Smith", healthy_lab[0], "127.0.0.1", closed_port()),
    ):
        where = lab_dir(lab_name)
        manager, *workers = inventory.load(where / "inventory.yaml").nodes
        listed = ";".join(w.address for w in workers) if address is None else ""
        rows.append(
            f"{sid},{who},{address or manager.address},root,{port},{where / 'id_ed25519'},{listed},,"
            f"{where / 'known_hosts'}"
        )
    (folder / "class.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    (folder / "rubric.yaml").write_text(RUBRIC)
    return folder / "class.csv", folder / "rubric.yaml"


def test_the_class_board_shows_a_healthy_a_faulty_and_an_unreachable_student_as_the_gradebook_does(
    roster, browser, tmp_path
):
    path, rubric = roster
    with dashboard(tmp_path, "--roster", str(path), "--rubric", str(rubric), "--lang", "en", "--interval", "300") as (
        url,
        err,
    ):
        watched = Watched(browser)
        page = watched.page
        page.goto(url)
        page.wait_for_selector('[data-progress="done"]', timeout=180_000)
        assert page.locator("html").get_attribute("lang") == "en"
        healthy, faulty, unreachable = (page.locator(f'tr[data-student="{s}"]') for s in ("s01", "s02", "s03"))
        assert healthy.locator("button.cell").count() == healthy.locator("button.cell.full").count() == 8, (
            healthy.inner_text()
        )
        for stage in ("init", "join", "network"):
            assert "full" in faulty.locator(f'[data-cell="s02/{stage}"]').get_attribute("class")
        assert "full" not in faulty.locator('[data-cell="s02/stacks"]').get_attribute("class")
        assert unreachable.get_attribute("data-reason") == "refused"
        assert unreachable.locator("button.cell").count() == unreachable.locator("button.cell.na").count()
        watched.shot("board.png")

        faulty.locator('[data-cell="s02/stacks"]').click()
        detail = page.locator("#detail")
        detail.locator('[data-detail="s02/stacks"]').wait_for()
        first = detail.locator('li.check[data-outcome="failed"]').first
        assert first.locator(".msg").inner_text().strip() and first.locator(".hint").inner_text().strip()
        watched.shot("board-detail.png")
        unreachable.locator('[data-cell="s03/init"]').click()
        detail.locator('[data-detail="s03/init"]').wait_for()
        assert "127.0.0.1" in detail.locator('li.check[data-outcome="blocked"] .msg').first.inner_text()
        board = snapshot(url)
        watched.clean()
        watched.close()

    out = tmp_path / "gradebook"
    ok(swarmlab("grade", str(path), "--rubric", str(rubric), "--lang", "en", "--out", str(out), "-q", timeout=600))
    book = json.loads((out / "gradebook.json").read_text())
    assert [(s["id"], s["total"], s["stages"], s["reason"]) for s in board["students"]] == [
        (s["id"], s["total"], s["stages"], s["reason"]) for s in book["students"]
    ]
    assert board["stages"] == book["stages"] and board["max"] == book["max"]


def test_grade_watch_reprints_the_table_and_rewrites_the_gradebook_until_ctrl_c(roster, tmp_path):
    path, rubric = roster
    out, log = tmp_path / "gradebook", tmp_path / "watch.err"
    with open(log, "w") as stderr:
        proc = subprocess.Popen(
            [
                SWARMLAB,
                "grade",
                str(path),
                "--rubric",
                str(rubric),
                "--out",
                str(out),
                "--watch",
                "--interval",
                "1",
                "--jobs",
                "3",
            ],
            stdout=subprocess.PIPE,
            stderr=stderr,
            stdin=subprocess.DEVNULL,
            text=True,
            # a suite started in the background inherits SIGINT ignored, and Ctrl-C is what this test sends
            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
        )

    def second_round():
        assert proc.poll() is None, log.read_text()
        return "round 2 graded" in log.read_text()

    until(second_round, timeout=300, interval=0.5, what="the second round")
    proc.send_signal(signal.SIGINT)
    stdout, _ = proc.communicate(timeout=60)
    assert proc.returncode == 0, log.read_text()
    assert stdout.count("3 students") >= 2  # the table, once per round
    assert "stopped after" in log.read_text() and "Traceback" not in log.read_text()
    assert {s["id"] for s in json.loads((out / "gradebook.json").read_text())["students"]} == {"s01", "s02", "s03"}


# -- one cluster, live ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def live(healthy_lab, browser, tmp_path_factory):
    """The dashboard of the healthy lab, one page kept open across the tests that follow it."""
    name, inventory_path = healthy_lab
    folder = tmp_path_factory.mktemp("live")
    commands = folder / "commands.jsonl"
    with dashboard(folder, "--lab", name, "--interval", "3", "--record-commands", str(commands)) as (url, err):
        page = Watched(browser)
        page.page.goto(url)
        yield page, url, inventory_path, commands
        page.clean()
        page.close()


def converge(name: str, tries: int = 3):
    """`lesson run` until it passes: in dnsrr mode a gateway may hold a replaced php-fpm task's address for a
    few seconds after a rollback, until it resolves php-fpm again."""
    for attempt in range(tries):
        done = swarmlab("lesson", "run", "--lab", name, "-q", timeout=900)
        if done.returncode == 0 or attempt == tries - 1:
            return ok(done)
        time.sleep(10)


def all_passed(page, timeout=180_000):
    page.wait_for_function(
        "() => { const s = [...document.querySelectorAll('details.stage')];"
        " return s.length > 0 && s.every(d => ['passed', 'not_applicable'].includes(d.dataset.outcome)); }",
        timeout=timeout,
    )


def test_a_healthy_lab_shows_every_node_with_its_tasks_every_stage_passed_and_the_cross_node_pings(live):
    watched, url, inventory_path, commands = live
    page = watched.page
    all_passed(page)
    inv = inventory.load(inventory_path)
    for node in inv.nodes:
        column = page.locator(f'.node[data-node="{node.name}"]')
        assert column.count() == 1
        assert column.locator('[data-service="edge_gateway"][data-state="running"]').count() == 1
        assert page.locator(f'[data-link="{node.name}"]').get_attribute("href") == f"http://{node.address}/"
        assert "200" in column.locator(f'[data-page="{node.name}"]').inner_text()
    assert page.locator('.node [data-service="core_php-fpm"][data-state="running"]').count() == 6
    assert page.locator('.node [data-service="storage_db"] [data-health="healthy"]').count() == 1
    assert "80→80/tcp host" in page.locator('[data-service="edge_gateway"]').first.inner_text()
    assert [s.get_attribute("data-stage") for s in page.locator("details.stage").all()] == list(PART_STAGES[1])
    assert page.locator('[data-outcome="failed"], [data-outcome="blocked"]').count() == 0
    assert page.locator("svg [data-endpoint]").count() == 10  # 6 php-fpm, 3 gateways, 1 db on lemp-overlay
    assert page.locator("svg path.ping.ok").count() == 2 * len(inv.nodes)
    assert page.locator('svg [data-vip="core_php-fpm"]').count() == 1
    watched.shot("healthy.png")
    sent = [json.loads(line)["command"] for line in commands.read_text().splitlines()]
    assert sent and all(matched(command) for command in sent)
    watched.clean()


def test_a_fault_shows_its_failing_check_and_the_task_error_without_a_reload_and_clears_when_restored(live):
    watched, url, inventory_path, _ = live
    page = watched.page
    name = inventory_path.parent.name
    page.evaluate("window.__sameDocument = true")
    ok(swarmlab("lab", "ssh", "--lab", name, "manager", "--", *FAULT, timeout=120))
    try:
        check = page.locator('[data-check="stacks/every_replicated_service_runs_all_its_tasks"][data-outcome="failed"]')
        check.wait_for(timeout=120_000)
        error = page.locator('.node [data-service="core_php-fpm"][data-state="rejected"] [data-error]')
        error.first.wait_for(timeout=120_000)
        assert "No such image: swarmlab/php-fpm:missing" in error.first.inner_text()
        assert page.evaluate("window.__sameDocument") is True
        assert check.locator(".msg").inner_text().strip() and check.locator(".hint").inner_text().strip()
        assert page.locator('header [data-count="failed"]').count() == 1
        watched.shot("fault.png")
    finally:
        ok(swarmlab("lab", "ssh", "--lab", name, "manager", "--", *RESTORE, timeout=120))
        state = (
            "lab",
            "ssh",
            "--lab",
            name,
            "manager",
            "--",
            "docker",
            "service",
            "inspect",
            "--format",
            "{{.UpdateStatus.State}}",
            "core_php-fpm",
        )
        until(
            lambda: ok(swarmlab(*state, timeout=60)).stdout.strip() == "rollback_completed",
            timeout=300,
            interval=2,
            what="core_php-fpm's rollback to complete",
        )
        converge(name)
    all_passed(page)
    assert page.evaluate("window.__sameDocument") is True
    watched.shot("restored.png")
    watched.clean()
