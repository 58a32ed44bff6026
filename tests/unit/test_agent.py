"""The panel's agents answer only their panel, and only with the read side's templates."""

import http.client
import json
import runpy
import threading
import time
from http.server import ThreadingHTTPServer

import pytest

from swarmlab import resources
from swarmlab.errors import NodeUnreachable
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
