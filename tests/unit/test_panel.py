"""The panel stand-in without Docker: its admin user, its gate, its argument, and its lists from a recorded cluster."""

import json

import pytest
from starlette.testclient import TestClient

from swarmlab.frontends.panel.app import COOKIE, create_app
from swarmlab.frontends.panel.auth import Users
from swarmlab.frontends.panel.source import panel_view
from swarmlab.lesson.spec import reader
from swarmlab.secrets import Masker
from swarmlab.transport.agent import endpoint
from swarmlab.transport.factory import replayed

from ..conftest import RECORDINGS

PASSWORD = "correct-" + "horse-battery"


def test_the_admin_user_is_kept_as_a_salted_hash_and_only_the_first_one_is_made(tmp_path):
    users = Users(tmp_path)
    assert not users.exists()
    assert users.create("admin", PASSWORD)
    kept = (tmp_path / "admin.json").read_text()
    assert PASSWORD not in kept and json.loads(kept)["salt"]
    assert (tmp_path / "admin.json").stat().st_mode & 0o077 == 0
    assert not users.create("intruder", "another-long-password")
    assert users.verify("admin", PASSWORD)
    assert not users.verify("admin", PASSWORD + "x") and not users.verify("intruder", "another-long-password")


@pytest.mark.parametrize(
    "username, password, confirm, problem",
    [
        ("admin", "short", "short", "short_password"),
        ("admin", PASSWORD, PASSWORD + "!", "mismatch"),
        ("ad min", PASSWORD, PASSWORD, "bad_username"),
        ("admin", PASSWORD, PASSWORD, None),
    ],
)
def test_the_admin_form_asks_for_12_characters_the_same_twice_and_a_plain_name(
    tmp_path, username, password, confirm, problem
):
    assert Users(tmp_path).problem(username, password, confirm) == problem


def test_portainers_agent_argument_names_the_agents_host_and_port():
    assert endpoint("tcp://tasks.agent:9001") == ("tasks.agent", 9001)
    assert endpoint("tasks.agent") == ("tasks.agent", 9001)
    with pytest.raises(ValueError, match="tcp://HOST:PORT"):
        endpoint("unix:///var/run/docker.sock")


class FakeSource:
    def __init__(self):
        self.mask = Masker("s3cret-value")

    def __call__(self, progress=None):
        return {
            "kind": "cluster",
            "panel": {"stacks": [], "services": [], "containers": [], "volumes": []},
            "leak": "s3cret-value",
        }

    def logs(self, node, container, tail=200):
        if container != "known":
            raise LookupError(f"no container {container} on {node}")
        return ["password=s3cret-value", "ready"]


def test_a_first_visitor_makes_the_admin_then_data_needs_a_session_and_secrets_stay_masked(tmp_path):
    app = create_app(FakeSource(), tmp_path, "en", interval=0.1)
    with TestClient(app, base_url="https://testserver") as client:
        assert client.get("/", follow_redirects=False).headers["location"] == "/setup"
        assert client.get("/snapshot.json").status_code == 401
        refused = client.post("/setup", data={"username": "admin", "password": "short", "confirm": "short"})
        assert refused.status_code == 200 and 'data-problem="short_password"' in refused.text
        made = client.post(
            "/setup", data={"username": "admin", "password": PASSWORD, "confirm": PASSWORD}, follow_redirects=False
        )
        assert made.headers["location"] == "/" and COOKIE in made.cookies
        assert "form-action 'self'" in made.headers["content-security-policy"]
        assert client.get("/").status_code == 200
        logs = client.get("/api/logs", params={"node": "manager", "container": "known"}).json()
        assert logs["lines"] == ["password=********", "ready"]
        assert client.get("/api/logs", params={"node": "manager", "container": "other"}).status_code == 404
        client.post("/logout")
        assert client.get("/", follow_redirects=False).headers["location"] == "/login"
        assert (
            client.post(
                "/setup", data={"username": "x", "password": PASSWORD, "confirm": PASSWORD}, follow_redirects=False
            ).headers["location"]
            == "/login"
        )


def test_the_panels_lists_come_from_the_read_side_with_replicas_and_the_services_secrets_learnt():
    read_side = reader(replayed(RECORDINGS / "healthy.20.10.json.gz"))
    found = panel_view(read_side)
    services = {s["name"]: s for s in found["services"]}
    assert (services["core_php-fpm"]["running"], services["core_php-fpm"]["wanted"]) == (6, 6)
    assert services["storage_db"]["constraints"] == []
    assert {s["name"] for s in found["stacks"]} >= {"edge", "core", "storage"}
    assert {c["node"] for c in found["containers"]} == {"manager", "worker-1", "worker-2"}
    assert any(v["name"] == "storage_db_volume" for v in found["volumes"])
    assert read_side.manager().secrets == {read_side.manager().service("storage_db").env["MYSQL_ROOT_PASSWORD"]}


def test_the_panel_images_digest_covers_its_code_and_its_wheels_and_leaves_out_the_lesson(tmp_path, monkeypatch):
    from swarmlab.lab import images

    wheel = tmp_path / "dep-1.0-py3-none-any.whl"
    wheel.write_bytes(b"one")
    monkeypatch.setattr(images, "wheels", lambda: [wheel])
    context = images.PANEL.context()
    assert {
        "Dockerfile",
        "swarmlab-panel",
        "wheels/dep-1.0-py3-none-any.whl",
        "swarmlab/frontends/panel/app.py",
        "swarmlab/frontends/dashboard/static/cluster.js",
        "swarmlab/state/reads.py",
    } <= set(context)
    assert not [name for name in context if "level6" in name or "recipes" in name or name.endswith(".pyc")]
    before = images.PANEL.digest()
    wheel.write_bytes(b"two")
    assert images.PANEL.digest() != before
    assert images.PANEL.lesson_service == "portainer" and images.UPSTREAM["portainer"].startswith("portainer/")
