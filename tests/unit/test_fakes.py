"""The fake student hosts are honest: a recorded cluster served over SSH and HTTP reads as its replay does, and each
misbehaviour does on the wire what its real cause does, so that what swarmlab concludes from it is worth testing.

Hosts listen on addresses of 127.0.0.0/8 of their own per test (the web servers of recorded clusters on port 80:
these tests run as root, as the lab's do).
"""

import itertools
import socket
import time

import paramiko
import pytest

from swarmlab.checks import run_checks
from swarmlab.errors import NodeUnreachable
from swarmlab.grading import rubric
from swarmlab.grading.roster import load as load_roster
from swarmlab.lab import keys
from swarmlab.state import templates
from swarmlab.transport.factory import over_ssh, replayed
from swarmlab.transport.inventory import Inventory, NodeSpec
from swarmlab.transport.recording import Recording
from swarmlab.transport.ssh import SSHNode
from swarmlab.transport.web import Answer, Browser, FetchFailed

from ..conftest import RECORDINGS
from ..fakes import web
from ..fakes.classroom import Classroom, address
from ..fakes.recorded import RecordedCluster
from ..fakes.sshd import BANNER, NOT_SSH, Host, Misbehaviour, SSHServer, private_key

PORT = 2222
WEB_PORT = 8080
_numbers = itertools.count(1)


def fresh_address() -> str:
    number = next(_numbers)
    return f"127.201.{number // 250}.{number % 250 + 1}"


def echo(command: str, stdin: bytes) -> tuple:
    return 0, f"{command} <{stdin.decode()}>\n".encode(), b""


class Hosts:
    """Fake hosts in one running server, each reached as swarmlab reaches a student's node."""

    def __init__(self, folder):
        self.client = keys.ed25519("test client")
        self.key = folder / "client_ed25519"
        self.key.write_bytes(self.client.private)
        self.key.chmod(0o600)
        self.known_hosts = folder / "known_hosts"
        self.known_hosts.touch()
        self.server = SSHServer().start()

    def add(self, answer=echo, misbehaviour=None, latency=0.0, changed_key=False, reads_stdin=False) -> NodeSpec:
        where, pair = fresh_address(), keys.ed25519()
        presented = keys.ed25519() if changed_key else pair
        self.server.add(
            Host(
                where,
                PORT,
                private_key(presented.private),
                (self.client.public,),
                answer,
                misbehaviour,
                latency,
                reads_stdin,
            )
        )
        with open(self.known_hosts, "a") as out:
            out.write(keys.known_hosts_line(where, PORT, pair.public))
        return NodeSpec("manager", where, "manager", PORT, "root", self.key, self.known_hosts)

    def node(self, misbehaviour=None, timeout=2.0, **kwargs) -> SSHNode:
        return SSHNode(self.add(misbehaviour=misbehaviour, **kwargs), timeout=timeout)


@pytest.fixture
def hosts(tmp_path):
    made = Hosts(tmp_path)
    yield made
    made.server.stop()


def unreachable(node: SSHNode, command: str = "true", timeout: float = 2.0) -> NodeUnreachable:
    with pytest.raises(NodeUnreachable) as raised:
        node.run(command, timeout=timeout)
    node.close()
    return raised.value


def raw(spec: NodeSpec, send: bytes = b"") -> socket.socket:
    sock = socket.create_connection((spec.address, spec.port), timeout=5)
    sock.sendall(send)
    return sock


def read_all(sock: socket.socket) -> bytes:
    """Everything the server sends until it closes."""
    found = bytearray()
    with sock:
        while True:
            data = sock.recv(65536)
            if not data:
                return bytes(found)
            found += data


# -- a recorded cluster, served -----------------------------------------------------------------


@pytest.mark.parametrize("state", ["healthy", "drained-worker"])
def test_a_recorded_state_over_ssh_and_http_gives_the_checks_the_same_results_as_its_replay(state, tmp_path):
    recording = Recording.load(RECORDINGS / f"{state}.26.1.json.gz")
    names = [n["name"] for n in recording.inventory["nodes"]]
    served = RecordedCluster(recording, {name: fresh_address() for name in names})
    client = Hosts(tmp_path)
    pages = web.WebServer()
    nodes = []
    with open(client.known_hosts, "w") as known:
        for node in recording.inventory["nodes"]:
            pair = keys.ed25519()
            client.server.add(served.ssh_host(node["name"], pair.private, (client.client.public,), PORT))
            pages.add(served.web_host(node["name"]))
            known.write(keys.known_hosts_line(served.addresses[node["name"]], PORT, pair.public))
            nodes.append(
                NodeSpec(
                    node["name"],
                    served.addresses[node["name"]],
                    node["role"],
                    PORT,
                    "root",
                    client.key,
                    client.known_hosts,
                )
            )
    with pages, over_ssh(Inventory(nodes=tuple(nodes)), timeout=5) as cluster:
        live = run_checks(cluster, None, "en", 1)
    client.server.stop()
    with replayed(recording) as cluster:
        recorded = run_checks(cluster, None, "en", 1)
    assert [(r.stage, r.id, r.outcome, served.to_lab(r.message)) for r in live] == [
        (r.stage, r.id, r.outcome, r.message) for r in recorded
    ]


def test_a_recorded_node_answers_in_recorded_order_then_round_again_and_exits_127_for_anything_else():
    recording = Recording(
        "turns",
        inventory={"nodes": [{"name": "manager", "address": "172.18.0.2", "role": "manager"}]},
        exchanges=[
            {"node": "manager", "command": "date", "exit": 0, "stdout": "one\n", "stderr": ""},
            {"node": "manager", "command": "date", "exit": 3, "stdout": "two\n", "stderr": "late\n"},
        ],
    )
    answer = RecordedCluster(recording, {"manager": "127.0.0.9"}).answer("manager")
    assert [answer("date", b"") for _ in range(3)] == [(0, b"one\n", b""), (3, b"two\n", b"late\n"), (0, b"one\n", b"")]
    status, out, err = answer("docker service scale x=1", b"")
    assert (status, out) == (127, b"")
    assert b"`docker service scale x=1` is not in the recording 'turns' of manager" in err


def test_lab_addresses_become_the_fake_ones_in_answers_and_the_lab_ones_again_in_commands():
    lab = {"manager": "172.18.0.2", "worker-1": "172.18.0.20"}
    recording = Recording(
        "addresses",
        inventory={"nodes": [{"name": n, "address": a} for n, a in lab.items()]},
        exchanges=[
            {
                "node": "manager",
                "command": "ping -c 1 172.18.0.20",
                "exit": 0,
                "stdout": '{"Addr":"172.18.0.2","RemoteManagers":"172.18.0.2:2377"} '
                "172.18.0.20 172.18.0.200 10.172.18.0.2\n",
                "stderr": "",
            }
        ],
    )
    served = RecordedCluster(recording, {"manager": "127.10.0.1", "worker-1": "127.10.0.2"})
    status, out, _ = served.answer("manager")("ping -c 1 127.10.0.2", b"")
    assert (status, out.decode()) == (
        0,
        '{"Addr":"127.10.0.1","RemoteManagers":"127.10.0.1:2377"} 127.10.0.2 172.18.0.200 10.172.18.0.2\n',
    )


@pytest.mark.parametrize(
    "reason, misbehaviour",
    [
        ("refused", Misbehaviour.REFUSE),
        ("timeout", Misbehaviour.SILENT),
        ("auth", Misbehaviour.AUTH_REFUSED),
        ("command-timeout", Misbehaviour.HANG_COMMAND),
    ],
)
def test_a_node_recorded_unreachable_misbehaves_as_that_reason_arises(reason, misbehaviour):
    recording = Recording(
        "gone",
        inventory={"nodes": [{"name": "manager", "address": "172.18.0.2"}]},
        exchanges=[{"node": "manager", "unreachable": {"reason": reason, "params": {}}}],
    )
    assert RecordedCluster(recording, {"manager": "127.10.0.1"}).misbehaviour("manager") is misbehaviour


def test_a_node_recorded_with_a_changed_host_key_presents_another_key_and_an_unknown_one_is_left_out():
    pair = keys.ed25519()
    for reason, known in (("host-key-changed", True), ("host-key-unknown", False)):
        recording = Recording(
            "keys",
            inventory={"nodes": [{"name": "manager", "address": "172.18.0.2"}]},
            exchanges=[{"node": "manager", "unreachable": {"reason": reason, "params": {}}}],
        )
        served = RecordedCluster(recording, {"manager": "127.10.0.1"})
        host = served.ssh_host("manager", pair.private, ())
        assert host.host_key.get_base64() != pair.public.split()[1]
        assert (host.misbehaviour, served.known("manager")) == (None, known)


def test_recorded_fetches_are_served_in_turn_and_a_node_whose_every_fetch_was_refused_has_no_web_server():
    recording = Recording(
        "pages",
        inventory={
            "nodes": [{"name": "manager", "address": "172.18.0.2"}, {"name": "worker-1", "address": "172.18.0.3"}]
        },
        exchanges=[
            {"web": "manager", "path": "/", "error": "slow-answer"},
            {"web": "manager", "path": "/", "status": 502, "body": "bad gateway at 172.18.0.3"},
            {"web": "worker-1", "path": "/", "error": "refused"},
        ],
    )
    served = RecordedCluster(recording, {"manager": "127.10.0.1", "worker-1": "127.10.0.2"})
    pages = served.pages("manager")
    assert [pages("/"), pages("/"), pages("/")] == [
        web.Silent(),
        web.Page(502, b"bad gateway at 127.10.0.2"),
        web.Silent(),
    ]
    assert pages("/other").status == 404
    assert served.web_host("worker-1") is None


# -- SSH behaviours ------------------------------------------------------------------------------


def test_one_connection_carries_many_commands_each_with_its_stdin(hosts):
    node = hosts.node(reads_stdin=True)
    assert [node.run("cat", stdin=f"{n}".encode()).stdout for n in range(3)] == ["cat <0>\n", "cat <1>\n", "cat <2>\n"]
    assert node.run("echo %s", "a b").stdout == "echo 'a b' <>\n"
    node.close()
    assert hosts.server.connections[(node.spec.address, PORT)] == 1


def test_shells_and_sftp_are_refused_and_the_connection_still_runs_commands(hosts):
    node = hosts.node().connect()
    transport = node._client.get_transport()
    with pytest.raises(paramiko.SSHException):
        transport.open_session().invoke_shell()
    with pytest.raises(paramiko.SSHException):
        paramiko.SFTPClient.from_transport(transport)
    assert node.run("hostname").ok
    node.close()


def test_latency_costs_every_round_trip_the_rtt_handshake_included(hosts):
    """A login waits on three round trips at least (key exchange, service request, authentication), a command on
    two (the channel opened, the exec accepted): none can be quicker than the network's rtt."""
    rtt = 0.15
    node = hosts.node(latency=rtt)
    started = time.monotonic()
    node.connect()
    connected = time.monotonic()
    for _ in range(4):
        assert node.run("true").ok
    done = time.monotonic()
    node.close()
    assert connected - started >= 3 * rtt
    assert done - connected >= 4 * 2 * rtt


def test_a_refusing_host_refuses_the_connection(hosts):
    assert unreachable(hosts.node(Misbehaviour.REFUSE)).reason == "refused"


def test_a_silent_host_accepts_and_never_speaks_so_swarmlab_times_out_connecting(hosts):
    node = hosts.node(Misbehaviour.SILENT, timeout=0.5)
    sock = raw(node.spec, b"SSH-2.0-probe\r\n")
    sock.settimeout(0.5)
    with pytest.raises(socket.timeout):
        sock.recv(1)
    sock.close()
    assert unreachable(node).reason == "timeout"


def test_a_hanging_command_logs_in_and_is_given_up_at_swarmlabs_command_timeout(hosts):
    node = hosts.node(Misbehaviour.HANG_COMMAND).connect()
    assert unreachable(node, timeout=0.5).reason == "command-timeout"


class Enough(Exception):
    pass


class Collect:
    """A stream's stdout, given up (Enough) past `limit` bytes."""

    def __init__(self, limit=None):
        self.data, self.limit = bytearray(), limit

    def write(self, data):
        self.data += data
        if self.limit and len(self.data) > self.limit:
            raise Enough

    def flush(self):
        pass


def test_a_flooding_command_streams_stdout_without_end(hosts):
    node = hosts.node(Misbehaviour.FLOOD)
    out = Collect(limit=8 * 2**20)
    with pytest.raises(Enough):
        node.stream("cat small-file", stdout=out, timeout=60)
    node.close()
    assert set(out.data) == set(b"y\n")


def test_a_channel_whose_close_finds_the_connection_dead_leaves_the_error_in_flight(hosts, monkeypatch):
    """Closing a channel sends on the connection; a flood's connection can die between the last read and that
    close (EOFError), which once replaced the reader's own exception and failed the test above."""

    def dead(channel):
        raise EOFError()

    monkeypatch.setattr(paramiko.Channel, "close", dead)
    node = hosts.node(Misbehaviour.FLOOD)
    with pytest.raises(Enough):
        node.stream("cat small-file", stdout=Collect(limit=2**20), timeout=60)
    node.close()


def test_a_trickling_command_sends_one_byte_a_second_and_never_ends(hosts):
    node = hosts.node(Misbehaviour.TRICKLE)
    out = Collect()
    started = time.monotonic()
    with pytest.raises(NodeUnreachable) as raised:
        node.stream("cat small-file", stdout=out, timeout=2.5)
    elapsed = time.monotonic() - started
    node.close()
    assert raised.value.reason == "command-timeout"
    assert 2 <= len(out.data) <= elapsed + 1 and set(out.data) == {ord(".")}


def test_a_host_that_is_not_ssh_answers_the_clients_banner_with_http_and_closes(hosts):
    node = hosts.node(Misbehaviour.NOT_SSH)
    assert read_all(raw(node.spec, b"SSH-2.0-probe\r\n")) == NOT_SSH
    assert isinstance(unreachable(node), NodeUnreachable)


def test_swarmlab_names_a_server_that_is_not_ssh_as_such(hosts):
    assert unreachable(hosts.node(Misbehaviour.NOT_SSH)).reason == "not-ssh"


def test_an_auth_refused_host_refuses_every_key(hosts):
    assert unreachable(hosts.node(Misbehaviour.AUTH_REFUSED)).reason == "auth"


def test_a_changed_host_key_makes_the_host_unreachable_with_reason_host_key_changed(hosts):
    assert unreachable(hosts.node(changed_key=True)).reason == "host-key-changed"


def test_a_host_dropping_the_handshake_sends_its_banner_then_closes_during_the_key_exchange(hosts):
    node = hosts.node(Misbehaviour.DROP_HANDSHAKE)
    sock = raw(node.spec, b"SSH-2.0-probe\r\n" + b"\x00\x00\x00\x0c\x0a\x14" + b"\x00" * 10)
    assert read_all(sock) == BANNER
    assert unreachable(node).reason == "dropped"


# -- web behaviours ------------------------------------------------------------------------------


@pytest.fixture
def pages():
    server = web.WebServer().start()

    def add(answer) -> str:
        where = fresh_address()
        server.add(web.WebHost(where, answer if callable(answer) else web.always(answer), port=WEB_PORT))
        return where

    yield add
    server.stop()


def fetch(where: str, timeout: float = 2.0) -> tuple:
    return Browser().get("node", where, "/", timeout=timeout, port=WEB_PORT)


def response(where: str, path: str = "/") -> socket.socket:
    return raw(NodeSpec("web", where, port=WEB_PORT), f"GET {path} HTTP/1.1\r\nHost: x\r\n\r\n".encode())


def test_a_web_host_serves_each_path_its_page(pages):
    where = pages(
        lambda path: web.Page(200, "<h1>Хост - php-fpm-1</h1>".encode()) if path == "/" else web.Page(404, b"no")
    )
    assert fetch(where) == Answer(200, "<h1>Хост - php-fpm-1</h1>")
    assert Browser().get("node", where, "/x?y=1", port=WEB_PORT) == Answer(404, "no")


def test_a_redirect_sends_302_to_any_location(pages):
    head = read_all(response(pages(web.Redirect("http://192.0.2.1/elsewhere"))))
    assert head.startswith(b"HTTP/1.1 302 Found\r\n") and b"\r\nLocation: http://192.0.2.1/elsewhere\r\n" in head


def test_a_flooding_page_sends_a_body_without_end(pages):
    sock = response(pages(web.Flood()))
    found = bytearray()
    while len(found) < 8 * 2**20:
        found += sock.recv(65536)
    sock.close()
    assert found.startswith(b"HTTP/1.1 200 OK\r\n") and b"Content-Length" not in found[:200]


def test_a_trickling_page_sends_its_body_one_byte_a_second(pages):
    sock = response(pages(web.Trickle()))
    head = bytearray()
    while b"\r\n\r\n" not in head:
        head += sock.recv(1)
    started = time.monotonic()
    assert sock.recv(10) + sock.recv(10) == b".."
    assert time.monotonic() - started >= 0.9
    sock.close()


def test_slow_headers_never_end(pages):
    sock = response(pages(web.SlowHeaders()))
    found = bytearray()
    started = time.monotonic()
    while len(found) < len(b"HTTP/1.1 200 OK\r\nX-Slow: aa"):
        found += sock.recv(100)
    assert found == b"HTTP/1.1 200 OK\r\nX-Slow: aa" and time.monotonic() - started >= 0.9
    sock.close()


def test_raw_bytes_are_sent_as_they_are(pages):
    junk = b"HTTP/1.1 200 OK\r\n\r\n\x1b[2J\x00\x07" + b"A" * 100000 + b"\r\n"
    assert read_all(response(pages(web.Raw(junk)))) == junk


def test_a_silent_page_is_a_slow_answer_and_a_reset_one_a_reset_to_swarmlabs_browser(pages):
    for answer, kind in ((web.Silent(), "slow-answer"), (web.Reset(), "reset")):
        with pytest.raises(FetchFailed) as failed:
            fetch(pages(answer), timeout=0.5)
        assert failed.value.kind == kind


def test_no_web_server_is_a_refused_fetch():
    with pytest.raises(FetchFailed) as failed:
        fetch(fresh_address())
    assert failed.value.kind == "refused"


# -- a class -------------------------------------------------------------------------------------


def test_a_classroom_writes_a_roster_swarmlab_accepts_and_serves_each_student_as_drawn(tmp_path):
    healthy = RECORDINGS / "healthy.26.1.json.gz"
    room = Classroom(tmp_path, 3, [(healthy, 1)], latency=(0.01, 0.01), hang=1, refuse=1, seed=3)
    students = load_roster(room.roster).students
    assert (
        [s.manager for s in students] == [address(i, 0) for i in range(3)] == ["127.10.0.1", "127.10.1.1", "127.10.2.1"]
    )
    assert [s.workers for s in students] == [(address(i, 1), address(i, 2)) for i in range(3)]
    assert address(300, 1) == "127.11.44.2"
    assert len(room.known_hosts.read_text().splitlines()) == 9
    labels = {s.id: s.label for s in room.students}
    assert sorted(labels.values()) == ["healthy", "refuse", "silent"]
    expected = room.expected(rubric.load(rubric.default(1)))
    assert {labels[sid]: total for sid, total in expected.items()} == {"healthy": 100, "refuse": 0, "silent": 0}

    def manager(student):
        spec = next(s for s in students if s.id == student.id)
        return SSHNode(
            NodeSpec("manager", spec.manager, "manager", spec.port, spec.user, spec.key, room.known_hosts), timeout=1
        )

    with room:
        by_label = {s.label: s for s in room.students}
        assert manager(by_label["healthy"]).run(templates.MANAGER.render(), timeout=10).ok
        assert unreachable(manager(by_label["refuse"])).reason == "refused"
        assert unreachable(manager(by_label["silent"])).reason == "timeout"
