"""The panel stand-in without Docker: its admin user, its gate, its argument, and its lists from a recorded cluster."""

import json
import re

import pytest
from starlette.testclient import TestClient

from swarmlab.frontends.panel.app import BODY_LIMIT, COOKIE, create_app
from swarmlab.frontends.panel.auth import Users
from swarmlab.frontends.panel.manage import Refused, choices, plan
from swarmlab.frontends.panel.source import panel_view
from swarmlab.lesson.spec import reader
from swarmlab.secrets import Masker
from swarmlab.transport.agent import endpoint
from swarmlab.transport.base import Result
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


def page_token(client) -> str:
    return re.search(r'<meta name="panel-token" content="([^"]+)">', client.get("/").text).group(1)


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
        client.post("/logout", data={"token": page_token(client)})
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


class WritingSource(FakeSource):
    """A source that plans from the recorded healthy cluster and keeps every write it is asked to send."""

    def __init__(self):
        super().__init__()
        self.view = reader(replayed(RECORDINGS / "healthy.20.10.json.gz")).manager()
        self.images = {name: ["swarmlab/php-fpm:lab", "swarmlab/gateway:lab"] for name in ("manager", "worker-1")}
        self.images["worker-2"] = ["swarmlab/php-fpm:lab"]
        self.sent = []

    def plan(self, form):
        return plan(self.view, self.images, form, "en")

    def write(self, change, user, session):
        self.sent.append((change.command, user, session))
        return Result(change.command, 0, "core_php-fpm\n", "")


def logged_in(client) -> str:
    client.post("/setup", data={"username": "admin", "password": PASSWORD, "confirm": PASSWORD})
    return page_token(client)


SCALE_TO_2 = {"action": "scale", "service": "core_php-fpm", "replicas": "2"}


def test_a_change_needs_a_session_and_the_sessions_own_token_on_its_form(tmp_path):
    source = WritingSource()
    app = create_app(source, tmp_path, "en", interval=0.1)
    with (
        TestClient(app, base_url="https://testserver") as client,
        TestClient(app, base_url="https://testserver") as other,
    ):
        assert client.post("/api/change", data=SCALE_TO_2).status_code == 401
        assert client.get("/api/plan", params=SCALE_TO_2).status_code == 401
        token = logged_in(client)
        other.post("/login", data={"username": "admin", "password": PASSWORD})
        others = page_token(other)
        assert others != token
        for form in ({}, {"token": ""}, {"token": token + "x"}, {"token": others}, {"token": "é" * 43}):
            answer = client.post("/api/change", data={**SCALE_TO_2, **form})
            assert answer.status_code == 403 and "token" in answer.json()["error"]
        assert source.sent == []
        said = client.get("/api/plan", params=SCALE_TO_2).json()
        assert said["command"] == "docker service scale --detach core_php-fpm=2"
        assert "6 replicas now, 2 after" in said["said"] and "asks for 4" in said["said"]
        assert source.sent == []
        done = client.post("/api/change", data={**SCALE_TO_2, "token": token})
        assert done.status_code == 200 and "converges" in done.json()["said"]
        [(command, user, session)] = source.sent
        assert (command, user) == ("docker service scale --detach core_php-fpm=2", "admin")
        assert re.fullmatch(r"[0-9a-f]{12}", session) and session not in client.cookies[COOKIE]


@pytest.mark.parametrize(
    "form, status",
    [
        ({"action": "scale", "service": "core_php-fpm", "replicas": "2; reboot"}, 400),
        ({"action": "scale", "service": "core_php-fpm", "replicas": "-1"}, 400),
        ({"action": "scale", "service": "core_php-fpm", "replicas": "101"}, 400),
        ({"action": "scale", "service": "edge_gateway", "replicas": "2"}, 400),
        ({"action": "scale", "service": "core_php-fpm$(reboot)", "replicas": "2"}, 400),
        ({"action": "image", "service": "core_php-fpm", "image": "evil/image:latest"}, 400),
        ({"action": "image", "service": "edge_gateway", "image": "swarmlab/php-fpm:lab --privileged"}, 400),
        ({"action": "exec", "service": "core_php-fpm"}, 400),
        ({"action": "remove", "service": "no_such_service"}, 400),
    ],
)
def test_a_change_the_write_templates_or_the_last_read_refuse_is_never_sent(tmp_path, form, status):
    source = WritingSource()
    with TestClient(create_app(source, tmp_path, "en", interval=0.1), base_url="https://testserver") as client:
        token = logged_in(client)
        answer = client.post("/api/change", data={**form, "token": token})
        assert answer.status_code == status, answer.text
        assert source.sent == []


def test_a_body_beyond_the_forms_limit_is_not_read_past_it(tmp_path):
    source = WritingSource()
    with TestClient(create_app(source, tmp_path, "en", interval=0.1), base_url="https://testserver") as client:
        token = logged_in(client)
        padded = "a=" + "x" * (10 * BODY_LIMIT) + f"&action=remove&service=core_php-fpm&token={token}"
        answer = client.post(
            "/api/change", content=padded, headers={"Content-Type": "application/x-www-form-urlencoded"}
        )
        assert answer.status_code == 413 and source.sent == []


def test_logging_out_needs_the_token_too(tmp_path):
    with TestClient(create_app(WritingSource(), tmp_path, "en", interval=0.1), base_url="https://testserver") as client:
        token = logged_in(client)
        client.post("/logout")
        assert client.get("/", follow_redirects=False).status_code == 200
        client.post("/logout", data={"token": token})
        assert client.get("/", follow_redirects=False).headers["location"] == "/login"


def test_the_confirmations_say_what_happens_in_the_lessons_terms():
    source = WritingSource()
    view, images = source.view, source.images
    scaled = plan(view, images, {"action": "scale", "service": "core_php-fpm", "replicas": "4"}, "en")
    assert "1 or 2 on each of manager, worker-1, worker-2" in scaled.said
    assert "asks for" not in scaled.said
    assert "было 6 реплик, станет 2" in plan(view, images, SCALE_TO_2, "ru").said
    restart = plan(view, images, {"action": "image", "service": "edge_gateway", "image": "swarmlab/gateway:lab"}, "en")
    assert restart.command == (
        "docker service update --detach --quiet --force --no-resolve-image --image swarmlab/gateway:lab edge_gateway"
    )
    assert "rolling restart" in restart.said
    removed = plan(view, images, {"action": "remove", "service": "core_php-fpm"}, "en")
    assert removed.command == "docker service rm core_php-fpm" and "./up.sh core" in removed.said
    with pytest.raises(Refused, match="global service"):
        plan(view, images, {"action": "scale", "service": "edge_gateway", "replicas": "3"}, "en")
    # worker-2 may run php-fpm (no constraint in part 1) but lacks the gateway's image
    with pytest.raises(Refused, match="Not every node"):
        plan(view, images, {"action": "image", "service": "core_php-fpm", "image": "swarmlab/gateway:lab"}, "en")
    assert choices(view, images, "core_php-fpm")[0] == view.service("core_php-fpm").image
