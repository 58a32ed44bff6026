"""`swarmlab grade`: a class of clusters in every state, graded read-only into marks, reasons and one HTML page."""

import csv
import hashlib
import ipaddress
import json
import struct
import subprocess
import xml.etree.ElementTree as ET
import zlib
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import pytest

from swarmlab import checks, resources
from swarmlab.grading import rubric
from swarmlab.lab import keys
from swarmlab.lab.lab import Lab
from swarmlab.lesson.driver import Lesson
from swarmlab.secrets import lesson_passwords
from swarmlab.state import reads
from swarmlab.state.templates import matched
from swarmlab.transport import inventory
from swarmlab.transport.factory import over_ssh

from ..browser import FLAGS
from ..conftest import assert_one_clear_line, swarmlab

pytestmark = pytest.mark.lab

SMALL_LABS = {"net": "swarmlab-test-grade-net", "fault": "swarmlab-test-grade-fault", "new": "swarmlab-test-grade-new"}
RUBRIC = rubric.load(rubric.default(1))
CHECKS = {(stage, check) for stage in RUBRIC.points for check in RUBRIC.points[stage]}


def of(*stages):
    return {(stage, check) for stage, check in CHECKS if stage in stages}


# what does not apply to a one-node swarm earns its points: the homework cannot do it there
ONE_NODE = {
    ("join", "every_worker_answers_with_docker"),
    ("connectivity", "each_gateway_pings_php_fpm_on_another_node"),
    ("connectivity", "large_packets_cross_between_nodes"),
    ("pages", "every_node_shows_the_same_posts"),
    ("pages", "php_fpm_hostnames_from_several_nodes_appear"),
}


# id: (checks expected to pass, why the checks could not run: None or the reasons that fit)
EXPECTED = {
    "s01": (CHECKS, None),
    "s02": (CHECKS, None),
    "s03": (CHECKS, None),
    "s04": (of("sync") | {("init", "manager_answers_with_docker"), ("init", "swarm_is_active_on_the_manager")}, None),
    "s05": (of("init", "join", "network"), None),
    "s06": (CHECKS - {("stacks", "php_fpm_wants_six_replicas")}, None),
    "s07": ({("init", "manager_answers_with_docker")}, None),
    "s08": (of("sync"), None),
    "s09": (set(), ("refused",)),
    "s10": (set(), ("auth",)),
    "s11": (set(), ("host-key-changed",)),
    "s12": (set(), ("unreachable", "timeout", "no-route")),
    "s13": (set(), ("host-key-unknown",)),
    # paramiko ends a silent handshake either at the banner (timeout) or at the key exchange (not-ssh)
    "s14": (set(), ("timeout", "not-ssh")),
}


def worth(passed) -> float:
    return sum(RUBRIC.points[stage][check] for stage, check in passed)


@pytest.fixture(scope="module")
def small_labs(lab, docker_client):
    """1-node labs of this module: stopped after `network`, the whole lesson with php-fpm at 5, and a fresh one."""
    made = {key: Lab(name, docker_client) for key, name in SMALL_LABS.items()}
    for one in made.values():
        one.down()
    try:
        inventories = {key: one.up(nodes=1) for key, one in made.items()}
        with over_ssh(inventories["net"]) as cluster:
            Lesson(cluster).run(through="network")
        with over_ssh(inventories["fault"]) as cluster:
            Lesson(cluster, judge=checks.judge()).run()
            scaled = cluster.run("manager", "docker service scale core_php-fpm=5")
            assert scaled.ok, scaled.stderr
        yield made
    finally:
        for one in made.values():
            one.down()


def subnet_of(docker_client, lab) -> str:
    return docker_client.networks.get(lab.network_name).attrs["IPAM"]["Config"][0]["Subnet"]


def unused_address(docker_client, lab) -> str:
    return str(ipaddress.ip_network(subnet_of(docker_client, lab))[250])


def state_of(lab) -> tuple:
    with over_ssh(inventory.load(lab.inventory_path)) as cluster:
        view = reads.read_manager(cluster)
    return (
        {n.id: (n.hostname, n.role, n.state, n.availability) for n in view.nodes},
        {s.id: (s.name, s.replicas, s.image) for s in view.services},
        {t.id for t in view.tasks if t.running},
        {n.id for n in view.networks},
        {v.name for v in view.volumes},
    )


def manager_of(lab) -> str:
    return inventory.load(lab.inventory_path).manager.address


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def class_roster(lab, lab_inventory, lesson_run, small_labs, docker_client, silent_port, tmp_path_factory):
    folder = tmp_path_factory.mktemp("class")
    manager, worker_1, worker_2 = lab_inventory.nodes
    key, known = lab.key_path, lab.known_hosts_path
    wrong_key = folder / "wrong_ed25519"
    wrong_key.write_bytes(keys.ed25519("not authorised anywhere").private)
    wrong_key.chmod(0o600)
    forged = folder / "forged_known_hosts"
    worker_line = next(line for line in known.read_text().splitlines() if line.startswith(worker_1.address + " "))
    forged.write_text(worker_line.replace(worker_1.address, manager.address, 1) + "\n")
    empty = folder / "empty_known_hosts"
    empty.write_text("")

    def small_row(kind):
        small = small_labs[kind]
        return f"{manager_of(small)},root,22,{small.key_path},,,{small.known_hosts_path}"

    rows = [
        f"s01,Анна Иванова,{manager.address},root,22,{key},,,",
        f"s02,Boris Listed,{manager.address},root,22,{key},{worker_1.address};{worker_2.address},,",
        f"s03,Carol Sudo,{manager.address},student,22,{key},,sudo,",
        f"s04,Dan Worker As Manager,{worker_1.address},root,22,{key},,,",
        f"s05,Eve Stopped After Network,{small_row('net')}",
        f"s06,Finn Five Replicas,{small_row('fault')}",
        f"s07,Gus No Swarm,{small_row('new')}",
        f"s08,Hana No Docker Group,{manager.address},student,22,{key},,,",
        f"s09,Ivan Closed Port,{manager.address},root,2222,{key},,,",
        f"s10,Jana Wrong Key,{manager.address},root,22,{wrong_key},,,",
        f"s11,Karl Changed Host Key,{manager.address},root,22,{key},,,{forged}",
        f"s12,Lena Nothing Answers,{unused_address(docker_client, lab)},root,22,{key},,,",
        f"s13,Max Unknown Host Key,{manager.address},root,22,{key},,,{empty}",
        f"s14,Nina Silent Port,127.0.0.1,root,{silent_port},{key},,,",
    ]
    path = folder / "class.csv"
    path.write_text("id,name,manager,user,port,key,workers,become,known_hosts\n" + "\n".join(rows) + "\n")
    return path


@dataclass
class Graded:
    """One `swarmlab grade` of the class, and the clusters' state and host keys around it."""

    done: subprocess.CompletedProcess
    out: Path
    book: dict
    record: Path
    before: tuple
    after: tuple


@pytest.fixture(scope="module")
def graded(lab, small_labs, class_roster, docker_client, tmp_path_factory):
    """The workers s01 and s03 leave out are found in their swarm and contacted because the instructor allows the
    lab's network, as they would a class's VPC."""
    out = tmp_path_factory.mktemp("gradebook")
    record = out.parent / f"{out.name}-commands.jsonl"
    watched = [lab, small_labs["fault"], small_labs["net"]]
    known_hosts = [lab.known_hosts_path] + [one.known_hosts_path for one in small_labs.values()]
    before = [state_of(one) for one in watched], [digest(path) for path in known_hosts]
    done = swarmlab(
        "grade",
        str(class_roster),
        "--out",
        str(out),
        "--lang",
        "en",
        "--known-hosts",
        str(lab.known_hosts_path),
        "--record-commands",
        str(record),
        "--timeout",
        "120",
        "--allow-network",
        subnet_of(docker_client, lab),
        timeout=900,
    )
    after = [state_of(one) for one in watched], [digest(path) for path in known_hosts]
    book = json.loads((out / "gradebook.json").read_text()) if (out / "gradebook.json").is_file() else None
    return Graded(done, out, book, record, before, after)


def student(book, sid) -> dict:
    return next(s for s in book["students"] if s["id"] == sid)


def test_grading_completes_with_exit_0_whatever_the_marks(graded):
    assert graded.done.returncode == 0, graded.done.stdout + graded.done.stderr
    assert [s["id"] for s in graded.book["students"]] == list(EXPECTED)
    assert "Traceback" not in graded.done.stdout + graded.done.stderr


@pytest.mark.parametrize("sid", EXPECTED)
def test_each_student_gets_the_marks_and_outcomes_their_cluster_deserves(graded, sid):
    passed, reasons = EXPECTED[sid]
    mine = student(graded.book, sid)
    earning = {(c["stage"], c["id"]) for c in mine["checks"] if c["outcome"] in ("passed", "not_applicable")}
    assert earning == passed, mine["status"]
    assert mine["total"] == round(worth(passed), 2)
    for stage in RUBRIC.points:
        assert mine["stages"][stage] == round(worth({p for p in passed if p[0] == stage}), 2)
    assert (mine["reason"] in reasons) if reasons else mine["reason"] is None, mine["status"]


def test_a_complete_cluster_scores_full_marks_whether_workers_are_listed_found_or_reached_through_sudo(graded):
    for sid in ("s01", "s02", "s03"):
        mine = student(graded.book, sid)
        assert (mine["total"], mine["status"]) == (100, "graded: every check passed")


def test_a_faulty_cluster_is_told_what_is_wrong_and_how_to_fix_it(graded):
    fault = student(graded.book, "s06")
    failed = [c for c in fault["checks"] if c["outcome"] == "failed"]
    assert [(c["stage"], c["id"]) for c in failed] == [("stacks", "php_fpm_wants_six_replicas")]
    assert "wants 5 replicas" in failed[0]["message"] and "scale core_php-fpm=6" in failed[0]["hint"]
    assert fault["status"].startswith("graded: ") and "(stacks): core_php-fpm wants 5 replicas" in fault["status"]
    assert not [c for c in fault["checks"] if c["outcome"] == "blocked"]
    assert {(c["stage"], c["id"]) for c in fault["checks"] if c["outcome"] == "not_applicable"} <= ONE_NODE


@pytest.mark.parametrize(
    "sid, words",
    [
        ("s09", ["not graded", "2222 refused", "check that sshd runs"]),
        ("s10", ["not graded", "was refused for user root", "authorized_keys"]),
        ("s11", ["not graded", "host key", "changed", "ssh-keygen -R"]),
        ("s13", ["not graded", "is not in", "--accept-new-host-keys"]),
        ("s14", ["not graded", "127.0.0.1:"]),
        ("s07", ["graded: ", "(init): swarm is inactive on manager"]),
        ("s08", ["graded: ", "(init): student may not use docker on manager"]),
        ("s04", ["graded: ", "(init): worker-1 is not the Leader manager"]),
    ],
)
def test_the_status_says_in_plain_words_why_a_student_lost_points(graded, sid, words):
    status = student(graded.book, sid)["status"]
    for word in words:
        assert word in status, status
    with open(graded.out / "gradebook.csv", newline="") as rows:
        assert {row["id"]: row["status"] for row in csv.DictReader(rows)}[sid] == status


def test_an_unreachable_student_is_listed_with_every_check_not_checked_and_zero(graded):
    for sid in ("s09", "s10", "s11", "s12", "s13", "s14"):
        mine = student(graded.book, sid)
        assert mine["total"] == 0 and mine["reason"]
        assert {c["outcome"] for c in mine["checks"]} == {"blocked"}
        assert len(mine["checks"]) == len(CHECKS)


def test_an_address_where_nothing_answers_is_named_with_its_port(graded, lab, docker_client):
    status = student(graded.book, "s12")["status"]
    assert status.startswith("not graded: manager cannot be reached: ")
    assert f"{unused_address(docker_client, lab)}:22" in status


def test_the_csv_has_id_name_total_a_column_per_stage_and_status(graded):
    with open(graded.out / "gradebook.csv", newline="") as rows:
        reader = csv.DictReader(rows)
        table = list(reader)
    assert reader.fieldnames == ["id", "name", "total", *RUBRIC.points, "status"]
    assert [row["id"] for row in table] == list(EXPECTED)
    for row in table:
        mine = student(graded.book, row["id"])
        assert (row["name"], float(row["total"])) == (mine["name"], mine["total"])
        assert all(float(row[stage]) == mine["stages"][stage] for stage in RUBRIC.points)


def test_the_json_keeps_every_check_with_outcome_message_hint_and_points(graded):
    assert graded.book["max"]["total"] == 100 and graded.book["stages"] == list(RUBRIC.points)
    for mine in graded.book["students"]:
        for check in mine["checks"]:
            assert set(check) >= {"stage", "id", "outcome", "message", "hint", "evidence", "points", "max"}
            assert check["points"] == (check["max"] if check["outcome"] in ("passed", "not_applicable") else 0)
            if check["outcome"] != "passed":
                assert check["message"] and check["hint"], check


def test_each_student_has_a_junit_file_with_a_case_per_check(graded):
    assert sorted(p.name for p in (graded.out / "junit").iterdir()) == sorted(f"{sid}.xml" for sid in EXPECTED)
    for mine in graded.book["students"]:
        suites = ET.parse(graded.out / "junit" / f"{mine['id']}.xml").getroot()
        cases = suites.findall("./testsuite/testcase")
        assert suites.get("name") == mine["id"] and len(cases) == len(mine["checks"])
        assert len(suites.findall("./testsuite/testcase/failure")) == mine["summary"]["failed"]


def test_grading_changes_no_cluster_and_records_no_host_key_without_being_asked(graded):
    assert graded.after == graded.before


def test_every_command_run_on_a_students_node_is_a_read(graded):
    entries = [json.loads(line) for line in graded.record.read_text().splitlines()]
    assert {e["student"] for e in entries} >= {"s01", "s02", "s03", "s05", "s06", "s08"}
    assert [e["command"][:60] for e in entries if matched(e["command"]) is None] == []


def test_no_key_token_or_password_appears_in_any_output(graded, lab):
    texts = [graded.done.stdout, graded.done.stderr] + [p.read_text() for p in graded.out.rglob("*") if p.is_file()]
    private = [line for line in lab.key_path.read_text().splitlines() if "PRIVATE KEY" not in line]
    for text in texts:
        assert "PRIVATE KEY" not in text and "SWMTKN-1-" not in text.replace("SWMTKN-1-********", "")
        assert not any(secret in text for secret in lesson_passwords(resources.level6()))
        assert not any(line in text for line in private)


class _Page(HTMLParser):
    def __init__(self):
        super().__init__()
        self.sections, self.rows, self.links, self.text, self.external = [], [], [], [], []
        self._in_row = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "section":
            self.sections.append(attrs.get("id"))
        if tag == "tr":
            self._in_row = True
        if tag == "a" and self._in_row:
            self.links.append(attrs.get("href"))
        if tag in ("script", "link", "img", "iframe") or (attrs.get("src") or "").startswith("http"):
            self.external.append(tag)

    def handle_endtag(self, tag):
        if tag == "tr":
            self._in_row = False

    def handle_data(self, data):
        self.text.append(data)


def test_the_html_page_is_self_contained_and_shows_every_student(graded):
    page = _Page()
    page.feed((graded.out / "report.html").read_text())
    assert page.external == []
    assert page.sections == [f"student-{sid}" for sid in EXPECTED]
    assert page.links == [f"#student-{sid}" for sid in EXPECTED]
    text = " ".join(page.text)
    for mine in graded.book["students"]:
        assert mine["name"] in text and mine["status"] in text
    assert "core_php-fpm wants 5 replicas" in text and "scale core_php-fpm=6" in text


def screenshot(chromium, page: Path, png: Path, profile: Path):
    return subprocess.run(
        [
            chromium,
            *FLAGS,
            f"--user-data-dir={profile}",
            f"--screenshot={png}",
            "--window-size=1280,2000",
            f"file://{page}",
        ],
        capture_output=True,
        text=True,
        timeout=180,
        stdin=subprocess.DEVNULL,
    )


def png_colours(path: Path, rows: int = 500) -> int:
    """Distinct colours in the first `rows` rows of an 8-bit, non-interlaced RGB(A) PNG (Chromium's kind)."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    position, idat, header = 8, b"", None
    while position < len(data):
        length, kind = struct.unpack(">I4s", data[position : position + 8])
        body = data[position + 8 : position + 8 + length]
        header = struct.unpack(">IIBBBBB", body) if kind == b"IHDR" else header
        idat += body if kind == b"IDAT" else b""
        position += 12 + length
    width, height, depth, colour, _, _, interlace = header
    assert (depth, interlace, colour in (2, 6)) == (8, 0, True), header
    size = 4 if colour == 6 else 3
    raw, stride = zlib.decompress(idat), width * size
    previous, seen = bytearray(stride), set()
    for y in range(min(rows, height)):
        start = y * (stride + 1)
        kind, line = raw[start], bytearray(raw[start + 1 : start + 1 + stride])
        for x in range(stride):
            a = line[x - size] if x >= size else 0
            b, c = previous[x], previous[x - size] if x >= size else 0
            if kind == 1:
                line[x] = (line[x] + a) & 255
            elif kind == 2:
                line[x] = (line[x] + b) & 255
            elif kind == 3:
                line[x] = (line[x] + (a + b) // 2) & 255
            elif kind == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        seen.update(bytes(line[i : i + 3]) for i in range(0, stride, size))
        previous = line
    return len(seen)


def test_the_html_page_renders_in_headless_chromium(graded, chromium, tmp_path):
    png = tmp_path / "report.png"
    done = screenshot(chromium, graded.out / "report.html", png, tmp_path / "profile")
    assert done.returncode == 0, done.stderr[-2000:]
    assert png.is_file() and png_colours(png) > 20


def test_first_contact_needs_accept_new_host_keys_and_then_records_them(small_labs, tmp_path):
    net = small_labs["net"]
    address = manager_of(net)
    known = tmp_path / "new" / "known_hosts"
    roster = tmp_path / "one.csv"
    roster.write_text(f"id,name,manager,user,port,key\ns1,Ann,{address},root,22,{net.key_path}\n")

    def grade(*extra):
        done = swarmlab(
            "grade",
            str(roster),
            "--out",
            str(tmp_path / "out"),
            "--known-hosts",
            str(known),
            "--lang",
            "en",
            "-q",
            *extra,
        )
        assert done.returncode == 0, done.stderr
        return json.loads((tmp_path / "out" / "gradebook.json").read_text())["students"][0]

    assert_one_clear_line(
        swarmlab("grade", str(roster), "--known-hosts", str(known)),
        2,
        "--known-hosts",
        "no such file",
        "--accept-new-host-keys",
    )
    known.parent.mkdir()
    known.write_text("")
    assert grade()["reason"] == "host-key-unknown"
    first = grade("--accept-new-host-keys")
    assert (first["reason"], first["total"]) == (None, worth(EXPECTED["s05"][0]))
    assert known.read_text().startswith(f"{address} ")
    assert grade()["total"] == first["total"]


def test_stages_narrow_the_gradebook_to_their_columns_and_points(small_labs, tmp_path):
    net = small_labs["net"]
    address = manager_of(net)
    roster = tmp_path / "one.yaml"
    roster.write_text(
        f"students:\n  - {{id: s1, name: Ann, manager: {address}, user: root, port: 22, "
        f"key: {net.key_path}, known_hosts: {net.known_hosts_path}}}\n"
    )
    done = swarmlab("grade", str(roster), "--out", str(tmp_path), "--stage", "network", "init", "-q")
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "gradebook.csv").read_text().splitlines()[0] == "id,name,total,init,network,status"
    book = json.loads((tmp_path / "gradebook.json").read_text())
    assert book["max"] == {"total": 20, "init": 10, "network": 10}
    assert book["students"][0]["total"] == 20


def good_rows(lab_inventory, lab) -> str:
    manager = lab_inventory.manager
    return "".join(f"s{i},Student {i},{manager.address},root,22,{lab.key_path}\n" for i in range(1, 4))


@pytest.mark.parametrize(
    "bad_row, line, field",
    [
        ("s9,Missing Key Column,10.0.0.9,root,22\n", 5, "key"),
        ("s9,Bad Port,10.0.0.9,root,ssh,{key}\n", 5, "port"),
        ("s9,No Key File,10.0.0.9,root,22,/nonexistent/id_ed25519\n", 5, "key"),
        ("s2,Duplicate Id,10.0.0.9,root,22,{key}\n", 5, "id"),
    ],
)
def test_a_malformed_roster_is_refused_before_any_cluster_is_contacted(
    lab, lab_inventory, tmp_path, bad_row, line, field
):
    roster = tmp_path / "class.csv"
    roster.write_text(
        "id,name,manager,user,port,key\n" + good_rows(lab_inventory, lab) + bad_row.format(key=lab.key_path)
    )
    known, out, record = tmp_path / "known_hosts", tmp_path / "out", tmp_path / "commands.jsonl"
    done = swarmlab(
        "grade",
        str(roster),
        "--out",
        str(out),
        "--known-hosts",
        str(known),
        "--accept-new-host-keys",
        "--record-commands",
        str(record),
    )
    assert_one_clear_line(done, 2, str(roster), f"line {line}", f"field {field}")
    assert not known.exists() and not out.exists() and not record.exists()


@pytest.mark.parametrize(
    "rubric, words",
    [
        ("stages:\n  init: 10\n  deploy: 5\n", ["line 3", "field deploy", "unknown stage"]),
        ("stages:\n  init:\n    manager_is_leader: 10\n", ["line 3", "field init.manager_is_leader", "no such check"]),
        ("total: 100\nstages:\n  init: 10\n  join: 15\n", ["line 1", "field total", "add up to 25, not 100"]),
        ("stages:\n  init: ten\n", ["line 2", "field init", "not a number of points"]),
        ("stages: [init]\n", ["a rubric is a mapping with `stages`"]),
    ],
)
def test_a_malformed_rubric_is_refused_naming_file_line_and_field(tmp_path, rubric, words):
    path = tmp_path / "rubric.yaml"
    path.write_text(rubric)
    (tmp_path / "class.csv").write_text(f"id,name,manager,user,port,key\ns1,Ann,10.0.0.9,root,22,{path}\n")
    done = swarmlab("grade", str(tmp_path / "class.csv"), "--rubric", str(path), "--out", str(tmp_path / "out"))
    assert_one_clear_line(done, 2, str(path), *words)
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    "args, words",
    [
        (["--stage", "teardown"], ["stage teardown earns no points", "--stage"]),
        (["--jobs", "0"], ["--jobs", "give at least 1"]),
        (["--timeout", "-5"], ["--timeout", "give more than 0"]),
        (["--stage", "deploy"], ["invalid choice: 'deploy'"]),
    ],
)
def test_usage_errors_exit_2_with_one_line(tmp_path, args, words):
    (tmp_path / "class.csv").write_text(f"id,name,manager,user,port,key\ns1,Ann,10.0.0.9,root,22,{tmp_path}/k\n")
    (tmp_path / "k").write_text("")
    assert_one_clear_line(
        swarmlab("grade", str(tmp_path / "class.csv"), *args, "--out", str(tmp_path / "out")), 2, *words
    )
