"""Bad input: one clear line naming the problem and the fix, a non-zero exit, no traceback."""

import pytest

from swarmlab.errors import EngineError, SwarmlabError
from swarmlab.lab import engine, host, images

from ..conftest import RECORDINGS, assert_one_clear_line, swarmlab


@pytest.mark.parametrize(
    "args, words",
    [
        (["lab", "up", "--lab", "Bad_Name"], ["not a valid lab name", "lowercase"]),
        (["lab", "up", "--lab", "x" * 40], ["not a valid lab name"]),
        (["lab", "up", "--nodes", "0"], ["out of range", "1 to 5"]),
        (["lab", "up", "--nodes", "6"], ["out of range", "1 to 5"]),
        (["lab", "up", "--nodes", "three"], ["invalid int value"]),
        (["lab", "launch"], ["invalid choice"]),
        (["lab", "up", "--engine", "26.1"], ["invalid choice", "'28.5'", "'20.10'"]),
        ([], ["required"]),
        (["check", "--stage", "deploy"], ["invalid choice"]),
        (["check", "--part", "3"], ["invalid choice"]),
        (["lesson", "run", "--through", "everything"], ["invalid choice"]),
    ],
)
def test_usage_errors_exit_2_with_one_line(args, words):
    assert_one_clear_line(swarmlab(*args), 2, *words)


def test_no_engine_and_not_root_says_what_to_install(monkeypatch):
    monkeypatch.delenv("DOCKER_HOST", raising=False)
    monkeypatch.setattr(engine, "_ping", lambda timeout: ConnectionRefusedError("refused"))
    monkeypatch.setattr(engine, "_started_pid", lambda: None)
    monkeypatch.setattr(host, "can_install", lambda: False)
    monkeypatch.setattr(host.shutil, "which", lambda cmd: None)
    with pytest.raises(EngineError, match="install docker.io iptables, then run again"):
        engine.connect()


def test_a_build_without_enough_free_disk_stops_before_starting(monkeypatch):
    monkeypatch.setattr(images.shutil, "disk_usage", lambda path: type("U", (), {"free": 300 * 1024**2})())
    with pytest.raises(SwarmlabError, match=r"only 0.3 GiB free .* free some space"):
        images._check_free_space()


@pytest.mark.parametrize(
    "args, words",
    [
        (["check", "--json", "/no/such/dir/x.json"], ["--json", "the folder /no/such/dir does not exist"]),
        (["check", "--record", "/no/such/dir/x.gz"], ["--record", "the folder /no/such/dir does not exist"]),
        (["check", "--junit", "/"], ["is a folder"]),
        (["check", "-i", "/no/such/inventory.yaml"], ["no such file"]),
        (["check", "--stage", "init", "join", "sync", "--stage", "nope"], ["invalid choice: 'nope'"]),
        (["grade", "r.csv", "--allow-network", "10.0.0.300/24"], ["is not an IPv4 network"]),
        (["grade", "r.csv", "--jobs", "0"], ["give at least 1"]),
    ],
)
def test_a_bad_option_is_refused_before_anything_runs(args, words):
    assert_one_clear_line(swarmlab(*args), 2, *words)


def test_an_inventory_and_a_recording_together_name_two_clusters(tmp_path):
    for name in ("inventory.yaml", "state.json.gz"):
        (tmp_path / name).write_text("x")
    done = swarmlab("check", "-i", str(tmp_path / "inventory.yaml"), "--replay", str(tmp_path / "state.json.gz"))
    assert_one_clear_line(done, 2, "--inventory and --replay name two clusters")


@pytest.mark.parametrize(
    "field, value, words",
    [
        ("address", "[127.0.0.6]", ["field address", "is a list, not text"]),
        ("user", "123", ["field user", "is a int, not text"]),
        ("known_hosts", "5", ["field known_hosts", "not text"]),
        ("key", "[a, b]", ["field key", "is a list, not text"]),
    ],
)
def test_an_inventory_field_of_the_wrong_type_is_named_with_its_line(tmp_path, field, value, words):
    node = {"name": "manager", "address": "127.0.0.5", "role": "manager", field: value}
    text = "version: 1\nnodes:\n  - " + "\n    ".join(f"{k}: {v}" for k, v in node.items()) + "\n"
    (tmp_path / "inventory.yaml").write_text(text)
    assert_one_clear_line(swarmlab("check", "-i", str(tmp_path / "inventory.yaml")), 2, *words)


def test_swarmlab_says_its_version():
    done = swarmlab("--version")
    assert done.returncode == 0 and done.stdout.startswith("swarmlab 0.")


def test_the_language_is_kept_by_swarmlab_lang(tmp_path):
    (tmp_path / "inventory.yaml").write_text("version: 1\nnodes: []\n")
    done = swarmlab("check", "-i", str(tmp_path / "inventory.yaml"), env={"SWARMLAB_LANG": "en"})
    assert_one_clear_line(done, 2, "must be a non-empty list of nodes")


def test_inventory_init_writes_an_inventory_that_loads_and_refuses_to_overwrite(tmp_path):
    from swarmlab.transport import inventory

    out, key = tmp_path / "inventory.yaml", tmp_path / "id_ed25519"
    key.write_text("a key")
    assert swarmlab("inventory", "init", "10.0.0.1", "10.0.0.2", "--key", str(key), "--out", str(out)).returncode == 0
    loaded = inventory.load(out)
    assert loaded.names == ("manager", "worker-1") and loaded.manager.address == "10.0.0.1"
    assert_one_clear_line(swarmlab("inventory", "init", "10.0.0.1", "--out", str(out)), 2, "exists", "--force")


@pytest.mark.parametrize("args", [["-q", "check"], ["check", "-q"]])
def test_quiet_before_or_after_the_command_leaves_only_the_results(args):
    done = swarmlab(*args, "--replay", str(RECORDINGS / "healthy.26.1.json.gz"), "--lang", "en")
    assert done.returncode == 0 and "checking part 1" not in done.stdout + done.stderr
    assert "33 passed, 0 failed, 0 blocked" in done.stdout
