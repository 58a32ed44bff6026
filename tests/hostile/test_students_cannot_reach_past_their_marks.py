"""A class of strangers' machines: whatever a student's VMs send, it stays inside that student's own marks.

Each test is one attack a student with root can make on what the instructor runs against their cluster (the
grader, `swarmlab check`), tried for real against fake hosts on loopback; SECURITY.md says what each must not do.
"""

import csv
import io
import json
import threading
import time
import xml.etree.ElementTree as ET
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from ..conftest import swarmlab
from ..fakes import web
from ..fakes.sshd import Misbehaviour
from .conftest import PORT, edited, fresh_address

SECRET_PAGE = "INTERNAL-ADMIN-PANEL db_password=instructors-own"
TOKEN = "-".join(("SWMTKN", "1", "4" * 50, "q" * 25))


@pytest.fixture
def instructors_service():
    """A page inside the instructor's own network that no student may make swarmlab read: it counts its visitors."""
    visits = []

    class Page(BaseHTTPRequestHandler):
        def do_GET(self):
            visits.append(self.path)
            body = SECRET_PAGE.encode()
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Page)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/", visits
    server.shutdown()


def graded(students, roster, tmp_path, *extra):
    out = tmp_path / "book"
    done = swarmlab(
        "grade",
        str(roster),
        "--out",
        str(out),
        "--known-hosts",
        str(students.known_hosts),
        "--lang",
        "en",
        "--lms",
        "moodle",
        "-q",
        *extra,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return out, done


def everything_written(out) -> str:
    return "".join(p.read_text(encoding="utf-8") for p in out.rglob("*") if p.is_file())


def test_a_page_that_redirects_into_the_instructors_network_is_never_followed(
    students, healthy, tmp_path, instructors_service
):
    internal, visits = instructors_service
    student = students.add(healthy, pages={"manager": web.always(web.Redirect(internal))})
    out, _ = graded(students, students.roster(student), tmp_path)
    assert visits == []
    written = everything_written(out)
    assert "INTERNAL-ADMIN-PANEL" not in written and "instructors-own" not in written
    pages = next(
        c
        for s in json.loads((out / "gradebook.json").read_text())["students"]
        for c in s["checks"]
        if c["id"] == "every_node_answers_200_with_the_posts_table"
    )
    assert pages["outcome"] == "failed" and "302" in pages["message"]


def test_a_node_the_swarm_lists_elsewhere_is_named_never_contacted_and_its_key_never_recorded(
    students, healthy, tmp_path
):
    elsewhere = fresh_address()

    def one_more(nodes):
        extra = json.loads(json.dumps(nodes[-1]))
        extra["ID"] = "z" * 25
        extra["Description"]["Hostname"] = "worker-9"
        extra["Status"]["Addr"] = elsewhere
        return nodes + [extra]

    student = students.add(edited(healthy, "manager", "nodes", one_more))
    roster = students.roster(student, workers=False)
    before = students.known_hosts.read_text()
    out, _ = graded(students, roster, tmp_path, "--accept-new-host-keys", "--allow-network", "127.202.0.0/16")
    assert (
        students.ssh.connections.get((elsewhere, PORT), 0) == 0
        and students.ssh.connections.get((elsewhere, 22), 0) == 0
    )
    assert elsewhere not in students.known_hosts.read_text().replace(before, "")
    said = json.loads((out / "gradebook.json").read_text())["students"][0]
    assert any(
        elsewhere in c["message"] or "worker-9" in c["message"] for c in said["checks"] if c["outcome"] != "passed"
    )


def test_without_allowed_networks_no_worker_the_roster_does_not_list_is_contacted(students, healthy, tmp_path):
    student = students.add(healthy)
    roster = students.roster(student, workers=False)
    out, _ = graded(students, roster, tmp_path)
    workers = [a for n, a in student.addresses.items() if n != "manager"]
    assert all(students.ssh.connections.get((a, PORT), 0) == 0 for a in workers)
    said = json.loads((out / "gradebook.json").read_text())["students"][0]
    assert any("--allow-network" in c["message"] for c in said["checks"] if c["outcome"] == "blocked")


def rss_mib(pid: int) -> float:
    try:
        with open(f"/proc/{pid}/status") as status:
            return next(int(line.split()[1]) for line in status if line.startswith("VmRSS:")) / 1024
    except (OSError, StopIteration):
        return 0.0


def peak_of(argv) -> tuple:
    import subprocess

    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, text=True)
    peak = 0.0
    while proc.poll() is None:
        peak = max(peak, rss_mib(proc.pid))
        time.sleep(0.05)
    out, err = proc.communicate()
    return peak, proc.returncode, out, err


def test_a_node_that_floods_its_answers_is_cut_at_the_cap_and_memory_stays_flat(students, healthy):
    from ..conftest import SWARMLAB

    quiet = students.add(healthy)
    flooding = students.add(healthy, misbehaviour={"manager": Misbehaviour.FLOOD})
    base, _, _, _ = peak_of([SWARMLAB, "check", "-i", str(quiet.inventory), "--lang", "en", "--stage", "init"])
    peak, code, out, err = peak_of(
        [SWARMLAB, "check", "-i", str(flooding.inventory), "--lang", "en", "--stage", "init"]
    )
    assert code == 1 and "Traceback" not in out + err
    assert "larger than 8192 KiB" in out
    assert peak - base <= 64, (base, peak)


def test_a_page_that_floods_or_trickles_ends_at_its_cap_or_its_deadline(students, healthy):
    from swarmlab.lesson.spec import reader
    from swarmlab.transport.factory import over_ssh
    from swarmlab.transport.inventory import load

    flood = students.add(healthy, pages={"manager": web.always(web.Flood())})
    trickle = students.add(healthy, pages={"manager": web.always(web.Trickle())})
    for student, kind in ((flood, "too-large"), (trickle, "slow-answer")):
        with over_ssh(load(student.inventory)) as cluster:
            assert reader(cluster).fetch("manager", timeout=2).kind == kind


def with_task_error(recording, error: str):
    def broken(tasks):
        tasks[0]["Status"]["Err"] = error
        tasks[0]["Status"]["State"] = "rejected"
        tasks[0]["DesiredState"] = "shutdown"
        return tasks

    return edited(recording, "manager", "tasks", broken)


def test_control_sequences_from_a_cluster_reach_no_terminal_and_keep_junit_well_formed(students, healthy, tmp_path):
    sequence = "\x1b]0;pwned\x07\x1b[2J\x1b[31mred\x00\x08"

    def renamed(nodes):
        nodes[-1]["Description"]["Hostname"] = "worker-2" + sequence
        return nodes

    student = students.add(with_task_error(edited(healthy, "manager", "nodes", renamed), "no such image " + sequence))
    junit, report = tmp_path / "j.xml", tmp_path / "r.json"
    done = swarmlab(
        "check", "-i", str(student.inventory), "--lang", "en", "--junit", str(junit), "--json", str(report), timeout=120
    )
    assert "\x1b" not in done.stdout + done.stderr and "\x07" not in done.stdout + done.stderr
    ET.parse(junit)
    assert "\\u001b" not in report.read_text() and "\x1b" not in report.read_text()


def test_secrets_a_cluster_holds_are_masked_in_the_terminal_json_and_junit(students, healthy, tmp_path):
    own = "students-own-password-42"

    def with_own_password(services):
        for service in services:
            env = service["Spec"]["TaskTemplate"]["ContainerSpec"].get("Env") or []
            if any(e.startswith("MYSQL_ROOT_PASSWORD=") for e in env):
                service["Spec"]["TaskTemplate"]["ContainerSpec"]["Env"] = [
                    e if not e.startswith("MYSQL_ROOT_PASSWORD=") else f"MYSQL_ROOT_PASSWORD={own}" for e in env
                ]
        return services

    recording = with_task_error(
        edited(healthy, "manager", "services", with_own_password), f"join with {TOKEN} using {own}"
    )
    student = students.add(recording)
    junit, report = tmp_path / "j.xml", tmp_path / "r.json"
    done = swarmlab(
        "check", "-i", str(student.inventory), "--lang", "en", "--junit", str(junit), "--json", str(report), timeout=120
    )
    for text in (done.stdout + done.stderr, junit.read_text(), report.read_text()):
        assert own not in text and TOKEN not in text and TOKEN[:20] not in text


def test_two_students_who_hand_in_one_cluster_are_flagged_and_no_one_else(students, healthy, another_healthy, tmp_path):
    first, second, other = students.add(healthy), students.add(healthy), students.add(another_healthy)
    out, _ = graded(students, students.roster(first, second, other), tmp_path)
    flagged = {s["id"]: s["integrity"] for s in json.loads((out / "gradebook.json").read_text())["students"]}
    assert {i["with"] for i in flagged[first.id]} == {second.id}
    assert {i["with"] for i in flagged[second.id]} == {first.id}
    assert {i["shared"] for i in flagged[first.id]} >= {"cluster", "ca", "node"}
    assert flagged[other.id] == []


def test_a_cell_that_a_spreadsheet_would_take_for_a_formula_is_written_as_text(students, healthy, tmp_path):
    from swarmlab.checking.results import CheckResult
    from swarmlab.grading import gradebook, lms

    hostile = CheckResult("join", "every_node_is_ready_and_active", "failed", '=HYPERLINK("http://x")', "+1")
    grade = gradebook.Grade(
        "s1",
        "=cmd|' /C calc'!A0",
        "m",
        "u",
        (hostile,),
        {"join": 0.0},
        "@SUM(1)",
        None,
        1.0,
        type("Row", (), {"idnumber": "-1"})(),
    )
    book = gradebook.Gradebook(
        (grade,), ("join",), {"join": {"every_node_is_ready_and_active": 2}}, "r.csv", "rubric.yaml", "en", "now"
    )
    for text in (gradebook.csv_text(book), lms.moodle_text(book)):
        for row in csv.reader(io.StringIO(text)):
            assert not any(cell[:1] in ("=", "+", "-", "@", "\t", "\r") for cell in row), row
