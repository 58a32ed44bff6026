"""The panel's forms against whoever reaches port 9443: bodies capped before they are read, the first visit's
window, wrong passwords throttled per name and per address, and any login name."""

import pytest
from starlette.testclient import TestClient

from swarmlab.frontends.panel.app import create_app
from swarmlab.frontends.panel.auth import Users
from swarmlab.secrets import Masker

PASSWORD = "correct-" + "horse-battery"


class FakeSource:
    def __init__(self):
        self.mask = Masker()

    def __call__(self, progress=None):
        return {"kind": "cluster", "panel": {"stacks": [], "services": [], "containers": [], "volumes": []}}


def made_admin(tmp_path, name="admin", **options):
    app = create_app(FakeSource(), tmp_path, "en", interval=60, **options)
    assert Users(tmp_path).create(name, PASSWORD)
    return app


def test_a_body_declared_larger_than_the_cap_is_refused_before_it_is_read(tmp_path):
    with TestClient(made_admin(tmp_path), base_url="https://testserver") as client:
        huge = client.post("/login", content=b"username=admin", headers={"Content-Length": str(2**30)})
        assert huge.status_code == 413 and "content-security-policy" in huge.headers
        nonsense = client.post("/login", content=b"username=admin", headers={"Content-Length": "1e9"})
        assert nonsense.status_code == 413
        assert client.post("/login", data={"username": "admin", "password": PASSWORD}).status_code == 200


def test_a_body_without_a_length_is_cut_as_soon_as_it_passes_the_cap():
    import asyncio

    from swarmlab.frontends.panel.guard import BODY_LIMIT, BodyCap

    pulled, sent = [], []

    async def app(scope, receive, send):
        while (await receive()).get("more_body"):
            pass
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"read it all"})

    async def receive():
        pulled.append(1)
        return {"type": "http.request", "body": b"x" * 1024, "more_body": len(pulled) < 2**20}  # 1 GiB on offer

    async def send(message):
        sent.append(message)

    scope = {"type": "http", "method": "POST", "path": "/login", "headers": [(b"transfer-encoding", b"chunked")]}
    asyncio.run(BodyCap(app)(scope, receive, send))
    assert sent[0]["status"] == 413 and len(pulled) == BODY_LIMIT // 1024 + 1


def test_the_first_visits_form_closes_when_its_window_has_passed(tmp_path):
    app = create_app(FakeSource(), tmp_path, "en", interval=60, setup_seconds=0)
    with TestClient(app, base_url="https://testserver") as client:
        assert client.get("/", follow_redirects=False).headers["location"] == "/setup"
        closed = client.get("/setup")
        assert closed.status_code == 403 and 'data-problem="timed_out"' in closed.text
        assert "docker service update --force portainer_portainer" in closed.text
        late = client.post("/setup", data={"username": "admin", "password": PASSWORD, "confirm": PASSWORD})
        assert late.status_code == 403 and not Users(tmp_path).exists()


def test_the_window_is_counted_from_the_start_on_the_panels_clock():
    from swarmlab.frontends.panel.guard import SetupWindow

    now = [100.0]
    window = SetupWindow(300, clock=lambda: now[0])
    now[0] += 299
    assert window.open()
    now[0] += 2
    assert not window.open()


def login(client, name, password=PASSWORD + "-wrong"):
    return client.post("/login", data={"username": name, "password": password}, follow_redirects=False)


def test_wrong_passwords_are_throttled_per_name_and_per_address_not_per_request(tmp_path):
    app = made_admin(tmp_path, clock=lambda: 0.0)  # the panel's clock stands still: every wait lasts
    here = TestClient(app, base_url="https://testserver", client=("192.0.2.10", 50000))
    there = TestClient(app, base_url="https://testserver", client=("192.0.2.20", 50000))
    other = TestClient(app, base_url="https://testserver", client=("192.0.2.30", 50000))
    with here, there, other:
        assert [login(here, "admin").status_code for _ in range(5)] == [200] * 5
        throttled = login(here, "admin", PASSWORD)  # even the right password waits: nothing is checked meanwhile
        assert throttled.status_code == 429 and 'data-problem="throttled"' in throttled.text
        assert int(throttled.headers["retry-after"]) >= 1
        assert login(there, "ADMIN", PASSWORD).status_code == 429  # the name, from another address
        assert login(here, "someone-else").status_code == 429  # the address, for another name
        assert 'data-problem="wrong"' in login(other, "someone-else").text  # neither: only a wrong password
        assert login(other, "admin", PASSWORD).status_code == 429


def test_a_throttle_counts_a_try_before_its_password_is_checked_doubles_its_wait_and_forgets():
    from swarmlab.frontends.panel.guard import FORGET, FREE, LONGEST, Throttle, login_keys

    now = [0.0]
    throttle = Throttle(clock=lambda: now[0])
    keys = login_keys("admin", "192.0.2.1")
    assert [throttle.admit(*keys) for _ in range(FREE + 1)] == [0.0] * FREE + [1.0]  # parallel tries count too
    waits = []
    for _ in range(12):
        now[0] += throttle.admit(*keys)
        assert throttle.admit(*keys) == 0.0
        waits.append(throttle.admit(*keys))
    assert waits[:4] == [2.0, 4.0, 8.0, 16.0] and max(waits) == LONGEST
    now[0] += FORGET + 1
    assert throttle.admit(*keys) == 0.0
    throttle.passed(*keys)
    assert [throttle.admit(*keys) for _ in range(FREE)] == [0.0] * FREE


@pytest.mark.parametrize("name", ["админ", "José", "名前", "x" * 5000, "a\x00b", "\u202eevil", ""])
def test_any_login_name_is_a_wrong_name_or_the_right_one_never_a_server_error(tmp_path, name):
    with TestClient(made_admin(tmp_path), base_url="https://testserver") as client:
        answer = login(client, name, PASSWORD)
        assert answer.status_code == 200 and 'data-problem="wrong"' in answer.text


def test_a_name_in_any_script_makes_the_admin_and_logs_in_however_it_is_composed(tmp_path):
    import unicodedata

    composed = unicodedata.normalize("NFC", "Jośe-админ")
    app = create_app(FakeSource(), tmp_path, "en", interval=60)
    with TestClient(app, base_url="https://testserver") as client:
        made = client.post(
            "/setup", data={"username": composed, "password": PASSWORD, "confirm": PASSWORD}, follow_redirects=False
        )
        assert made.status_code == 303
        client.post("/logout")
        assert login(client, unicodedata.normalize("NFD", composed), PASSWORD).status_code == 303
    assert Users(tmp_path).problem("ad\u202emin", PASSWORD, PASSWORD) == "bad_username"
