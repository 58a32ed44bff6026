"""The read's Engine API path (state/engine_api.py): the CLI's answers from one python3, or nothing at all.

Its answers are held to the CLI's on a live lab of each engine (tests/lab/test_checks.py); here, against an
engine played over a socket of this machine, what it does where the CLI would answer otherwise.
"""

import json
import os
import re
import socketserver
import subprocess
import threading
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest

from swarmlab.state import engine_api, templates
from swarmlab.state.reads import parse_manager, sections

INFO = {"ID": "x", "ServerVersion": "28.5.2", "Swarm": {"LocalNodeState": "active", "ControlAvailable": True}}


def node(hostname, ident):
    return {"ID": ident, "Description": {"Hostname": hostname}, "Status": {"State": "ready"}}


def service(name, ident):
    return {"ID": ident, "Spec": {"Name": name}}


def task(ident, service_id, slot, updated):
    return {"ID": ident, "ServiceID": service_id, "Slot": slot, "UpdatedAt": updated}


class Engine(socketserver.ThreadingMixIn, socketserver.UnixStreamServer):
    """Answers GET paths from `answers` ({path: (status, body)}); keeps every request it was sent."""

    daemon_threads = True

    def __init__(self, path, answers):
        self.answers, self.asked = answers, []
        super().__init__(path, Handler)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self):
        url = urlparse(self.path)
        self.server.asked.append((self.command, url.path, parse_qs(url.query)))
        status, body = self.server.answers.get(url.path, (404, {"message": "no such object"}))
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


@pytest.fixture
def engine(tmp_path, monkeypatch):
    """An engine at a socket of the test's own, a docker CLI on PATH, no DOCKER_HOST or context to send the read
    elsewhere."""
    for name in ("DOCKER_HOST", "DOCKER_CONTEXT", "DOCKER_CONFIG"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    (tmp_path / "bin").mkdir()
    (tmp_path / "bin" / "docker").write_text("#!/bin/sh\nexit 0\n")
    (tmp_path / "bin" / "docker").chmod(0o755)
    monkeypatch.setenv("PATH", str(tmp_path / "bin"))
    path = str(tmp_path / "docker.sock")
    monkeypatch.setattr(engine_api, "SOCKET", path)
    served = Engine(path, {"/info": (200, INFO)})
    threading.Thread(target=served.serve_forever, args=(0.05,), daemon=True).start()
    yield served
    served.shutdown()
    served.server_close()


def read(what, capsys):
    status = engine_api.main(["-c", what])
    return status, capsys.readouterr().out


def test_a_manager_is_read_in_the_order_the_cli_prints(engine, capsys):
    nodes = [node("worker-10", "n3"), node("worker-2", "n2"), node("manager", "n1")]
    services = [service("edge_gateway", "s2"), service("core_php-fpm", "s1")]
    tasks = [
        task("t-later", "s1", 1, "2026-12-04T10:00:00.5Z"),
        task("t-2", "s1", 2, "2026-12-04T10:00:00Z"),
        task("t-earlier", "s1", 1, "2026-12-04T10:00:00.123456789Z"),
        task("t-edge", "s2", None, "2026-12-04T10:00:00Z"),
    ]
    engine.answers.update({"/nodes": (200, nodes), "/services": (200, services), "/tasks": (200, tasks)})
    engine.answers.update({f"/nodes/{n['ID']}": (200, n) for n in nodes})
    engine.answers.update({f"/services/{s['ID']}": (200, s) for s in services})
    engine.answers.update({f"/tasks/{t['ID']}": (200, t) for t in tasks})
    engine.answers.update({"/networks": (200, []), "/volumes": (200, {"Volumes": None})})

    status, out = read("manager", capsys)

    view = parse_manager(out)
    assert status == 0
    assert [n.id for n in view.nodes] == ["n1", "n2", "n3"]
    assert [s.name for s in view.services] == ["core_php-fpm", "edge_gateway"]
    assert [t.id for t in view.tasks] == ["t-later", "t-earlier", "t-2", "t-edge"]
    assert ("GET", "/services/s1", {"insertDefaults": ["true"]}) in engine.asked
    assert {method for method, _, _ in engine.asked} == {"GET"}


def test_a_worker_leaves_the_swarms_sections_empty_as_the_cli_does(engine, capsys):
    refused = (503, {"message": "This node is not a swarm manager."})
    engine.answers.update({"/nodes": refused, "/services": refused, "/networks": (200, []), "/volumes": (200, {})})

    status, out = read("manager", capsys)

    assert status == 0
    info = json.dumps(INFO, separators=(",", ":"))
    assert sections(out) == {"info": [info], "nodes": [], "services": [], "tasks": [], "networks": [], "volumes": []}


def test_an_object_gone_since_it_was_listed_is_left_out_as_docker_inspect_does(engine, capsys):
    engine.answers.update(
        {
            "/containers/json": (200, [{"Id": "gone"}, {"Id": "c1"}]),
            "/containers/c1/json": (200, {"Id": "c1", "Name": "/core_php-fpm.1.x"}),
            "/volumes": (200, {"Volumes": [{"Name": "b"}, {"Name": "a"}]}),
            "/networks": (200, []),
        }
    )

    status, out = read("node", capsys)

    assert status == 0
    found = sections(out)
    assert [json.loads(line)["Id"] for line in found["containers"]] == ["c1"]
    assert [json.loads(line)["Name"] for line in found["volumes"]] == ["a", "b"]
    assert ("GET", "/networks", {"filters": ['{"driver": {"overlay": true}}']}) in engine.asked


@pytest.mark.parametrize(
    "setting",
    [{"DOCKER_HOST": "tcp://10.0.0.1:2375"}, {"DOCKER_CONTEXT": "rootless"}, {"DOCKER_CONFIG": "/etc/docker-cli"}],
    ids=["docker-host", "docker-context", "docker-config"],
)
def test_a_cli_told_to_ask_another_daemon_is_left_to_answer(engine, capsys, monkeypatch, setting):
    for name, value in setting.items():
        monkeypatch.setenv(name, value)
    assert read("node", capsys) == (1, "")
    assert engine.asked == []


def test_a_context_chosen_in_the_cli_config_is_left_to_the_cli(engine, capsys, tmp_path):
    (tmp_path / ".docker").mkdir()
    (tmp_path / ".docker" / "config.json").write_text('{"currentContext": "remote"}')
    assert read("manager", capsys) == (1, "")


@pytest.mark.parametrize("answer", [(500, {"message": "boom"}), (200, "not an object")], ids=["refused", "not-info"])
def test_an_engine_that_does_not_answer_its_info_is_left_to_the_cli(engine, capsys, answer):
    engine.answers["/info"] = answer
    assert read("node", capsys) == (1, "")


def test_a_node_without_the_docker_cli_is_left_to_the_shell_which_says_so(engine, capsys, monkeypatch, tmp_path):
    (tmp_path / "bin" / "docker").unlink()
    assert read("node", capsys) == (1, "")
    assert engine.asked == []


def test_no_socket_is_left_to_the_cli_which_says_why_in_dockers_words(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(engine_api, "SOCKET", str(tmp_path / "none.sock"))
    assert read("node", capsys) == (1, "")


def test_what_is_sent_is_one_quoted_word_of_sh_and_asks_only_with_get():
    source = Path(engine_api.__file__).read_text()
    assert "'" not in source
    assert re.findall(r"request\((.*?),", source) == ['"GET"']


@pytest.fixture
def stubs(tmp_path):
    """A PATH where `docker` says which command it was given and python3 is whatever a test makes it."""
    (tmp_path / "docker").write_text('#!/bin/sh\necho "docker $1"\n')
    (tmp_path / "docker").chmod(0o755)
    return tmp_path


def sent(template, stubs, *values):
    env = {**os.environ, "PATH": f"{stubs}:{os.environ['PATH']}"}
    return subprocess.run(["sh", "-c", template.render(*values)], capture_output=True, text=True, env=env).stdout


def test_without_an_answer_from_python3_the_read_asks_the_docker_cli(stubs):
    (stubs / "python3").write_text("#!/bin/sh\nexit 1\n")
    (stubs / "python3").chmod(0o755)
    out = sent(templates.MANAGER, stubs)
    assert "docker info" in out and "docker volume" in out


def test_with_an_answer_from_python3_no_docker_cli_starts(stubs):
    (stubs / "python3").write_text("#!/bin/sh\necho '@@ info'\n")
    (stubs / "python3").chmod(0o755)
    out = sent(templates.NODE, stubs, "/nowhere", "/nowhere")
    assert "docker " not in out
    assert list(sections(out))[:3] == ["clock", "info", "ipvs"]
