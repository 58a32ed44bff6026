"""The panel's agents answer only their panel: the read side's templates, and the panel's writes only for one of
its sessions."""

import http.client
import json
import runpy
import secrets
import shutil
import subprocess
import sys
import threading
import time
from http.server import ThreadingHTTPServer
from pathlib import Path

import pytest

import swarmlab
from swarmlab import resources
from swarmlab.errors import NodeUnreachable
from swarmlab.lab.images import AGENT
from swarmlab.lesson import writes as W
from swarmlab.state import templates as T
from swarmlab.state.readonly import ReadOnlyNode
from swarmlab.transport import agent

SECRET = b"the panel's own"


@pytest.fixture
def served(monkeypatch):
    """The agent stand-in's own code on 127.0.0.1, with its port given to the client."""
    code = runpy.run_path(str(resources.recipes() / "agent" / "swarmlab-agent"), run_name="agent")
    handler = code["Agent"]
    handler.secret = SECRET
    handler.execute = staticmethod(
        lambda command, timeout, limit: {"exit": 0, "stdout": f"ran {command[:20]}", "stderr": ""}
    )
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    monkeypatch.setattr(agent, "PORT", server.server_address[1])
    yield server.server_address[1]
    server.shutdown()


def post(port: int, body: bytes, signature: str = "") -> tuple:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    conn.request("POST", "/run", body, {agent.SIGNATURE: signature} if signature else {})
    answer = conn.getresponse()
    return answer.status, answer.read().decode()


def signed(command: str, at: float = None, secret: bytes = SECRET) -> tuple:
    body = json.dumps({"command": command, "timeout": 10, "at": time.time() if at is None else at}).encode()
    return body, agent.signature(secret, body)


def test_a_read_signed_by_the_panel_is_answered(served):
    node = ReadOnlyNode(agent.AgentNode("manager", "127.0.0.1", SECRET))
    assert node.read(T.INFO).stdout.startswith("ran docker info")


@pytest.mark.parametrize("secret", [b"", b"another panel's"])
def test_a_request_not_signed_with_the_shared_secret_is_refused(served, secret):
    with pytest.raises(NodeUnreachable, match="answers only its panel"):
        ReadOnlyNode(agent.AgentNode("manager", "127.0.0.1", secret)).read(T.INFO)
    assert post(served, signed(T.INFO.render())[0])[0] == 403


def test_a_signed_request_replayed_later_is_refused(served):
    body, signature = signed(T.INFO.render(), at=time.time() - 10 * agent.WINDOW)
    assert post(served, body, signature)[0] == 403


@pytest.mark.parametrize(
    "command", ["docker service scale core_php-fpm=0", T.INFO.render() + "; reboot", "docker stack rm edge"]
)
def test_a_signed_command_that_is_not_a_read_template_is_refused(served, command):
    status, text = post(served, *signed(command))
    assert (status, text) == (403, "the agent only runs swarmlab's reads")


def test_a_body_larger_than_a_request_can_be_is_refused_unread(served):
    conn = http.client.HTTPConnection("127.0.0.1", served, timeout=5)
    conn.putrequest("POST", "/run")
    conn.putheader("Content-Length", str(10**9))
    conn.endheaders()
    assert conn.getresponse().status == 413


WHO = {"user": "admin", "session": "0123456789ab"}


def write_body(command: str, who=None, nonce: str = None, at: float = None) -> bytes:
    who = {**WHO, "nonce": nonce or secrets.token_hex(16)} if who is None else who
    return json.dumps(
        {"command": command, "timeout": 10, "at": time.time() if at is None else at, "write": who}
    ).encode()


def test_a_write_signed_for_a_panel_session_runs_once_and_is_logged_with_who_asked(served, capsys):
    node = agent.AgentNode("manager", "127.0.0.1", SECRET)
    done = agent.write(node, W.SCALE.render("core_php-fpm", 2), "admin", "0123456789ab")
    assert done.ok and done.stdout == "ran docker service scale"
    logged = capsys.readouterr().err
    assert "admin (session 0123456789ab) ran scale: docker service scale --detach core_php-fpm=2 -> exit 0" in logged
    body = write_body(W.REMOVE.render("edge_gateway"), nonce="f" * 32)
    assert post(served, body, agent.signature(SECRET, body))[0] == 200
    again = write_body(W.REMOVE.render("edge_gateway"), nonce="f" * 32)
    assert post(served, again, agent.signature(SECRET, again)) == (403, "this write was sent before: it is run once")


@pytest.mark.parametrize("secret", [b"", b"another panel's"])
def test_a_write_not_signed_with_the_shared_secret_is_refused(served, secret):
    body = write_body(W.REMOVE.render("edge_gateway"))
    assert post(served, body, agent.signature(secret, body) if secret else "")[0] == 403
    assert post(served, body)[0] == 403


def test_a_write_sent_the_read_sides_way_is_refused_as_no_read(served):
    """AgentNode, under every ReadOnlyNode, never says who asked: a write template from it is not a read."""
    status, text = post(served, *signed(W.SCALE.render("core_php-fpm", 0)))
    assert (status, text) == (403, "the agent only runs swarmlab's reads")
    with pytest.raises(NodeUnreachable, match="only runs swarmlab's reads"):
        agent.AgentNode("manager", "127.0.0.1", SECRET).run(W.REMOVE.render("edge_gateway"))


@pytest.mark.parametrize(
    "command",
    [
        T.INFO.render(),
        "docker service rm edge_gateway; reboot",
        "docker service scale --detach core_php-fpm=2 storage_db=0",
        "docker stack rm edge",
        "docker service update --image evil edge_gateway --mount type=bind,src=/,dst=/host",
    ],
)
def test_a_signed_write_that_is_not_one_of_the_panels_write_templates_is_refused(served, command):
    body = write_body(command)
    assert post(served, body, agent.signature(SECRET, body)) == (403, "the agent only runs the panel's writes")


@pytest.mark.parametrize(
    "who",
    [
        {},
        {"user": "admin"},
        {**WHO, "nonce": "short"},
        {**WHO, "session": "not-a-tag", "nonce": "a" * 32},
        {**WHO, "user": "ad min; reboot", "nonce": "a" * 32},
        {**WHO, "nonce": "a" * 32, "extra": "x"},
        "admin",
    ],
)
def test_a_write_that_does_not_say_which_panel_session_asked_is_refused(served, who):
    body = write_body(W.REMOVE.render("edge_gateway"), who=who)
    assert post(served, body, agent.signature(SECRET, body)) == (403, "a write needs the panel's user and session")


def test_a_signed_write_replayed_later_is_refused(served):
    body = write_body(W.REMOVE.render("edge_gateway"), at=time.time() - 10 * agent.WINDOW)
    assert post(served, body, agent.signature(SECRET, body))[0] == 403


def test_the_modules_the_agents_image_holds_are_all_it_needs(tmp_path):
    """The image copies swarmlab's modules one by one (images.AGENT): one the agent imports and the list lacks
    would stop every agent at its start, which a lab shows only minutes later as a global service short of tasks."""
    package = Path(swarmlab.__file__).parent
    for module in AGENT.modules:
        (tmp_path / "swarmlab" / module).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(package / module, tmp_path / "swarmlab" / module)
    script = resources.recipes() / "agent" / "swarmlab-agent"
    done = subprocess.run(
        [sys.executable, "-I", "-c", f"import sys; sys.path[:0] = [{str(tmp_path)!r}]; "
         f"import runpy; runpy.run_path({str(script)!r}, run_name='agent')"],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
