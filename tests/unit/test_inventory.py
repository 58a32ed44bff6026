"""The inventory format: what loads, and how a bad file is refused (exit 2, file, line, field)."""

from pathlib import Path

import pytest

from swarmlab.errors import InventoryError
from swarmlab.transport import inventory
from swarmlab.transport.inventory import Inventory, NodeSpec

EXAMPLE = Path(__file__).resolve().parents[2] / "fixtures" / "inventory.example.yaml"


def write(tmp_path, text):
    path = tmp_path / "inventory.yaml"
    path.write_text(text)
    return path


GOOD = """\
version: 1
nodes:
  - name: manager
    address: 10.0.0.1
    role: manager
  - name: worker-1
    address: 10.0.0.2
    port: 2222
    user: student
    become: sudo
"""


def test_the_example_inventory_for_cloud_vms_loads():
    inv = inventory.load(EXAMPLE)
    assert inv.names == ("manager", "worker-1", "worker-2")
    assert inv.manager.name == "manager"
    assert [n.name for n in inv.workers] == ["worker-1", "worker-2"]
    assert all(n.become == "sudo" for n in inv.nodes)
    assert inv.endpoint_mode == "auto"


def test_nodes_default_to_workers_and_keep_their_fields(tmp_path):
    inv = inventory.load(write(tmp_path, GOOD))
    worker = inv.node("worker-1")
    assert (worker.role, worker.port, worker.user, worker.become) == ("worker", 2222, "student", "sudo")
    assert inv.node("manager").port is None


def test_relative_key_paths_are_read_from_the_inventorys_folder(tmp_path):
    (tmp_path / "keys").mkdir()
    (tmp_path / "keys" / "id").write_text("not a real key")
    inv = inventory.load(write(tmp_path, GOOD.replace("role: manager", "role: manager\n    key: keys/id")))
    assert inv.manager.key == tmp_path / "keys" / "id"


def test_an_inventory_written_by_dump_loads_back_equal(tmp_path):
    (tmp_path / "id").write_text("k")
    original = Inventory(
        nodes=(
            NodeSpec("manager", "172.18.0.2", "manager", 22, "root", tmp_path / "id", tmp_path / "kh"),
            NodeSpec("worker-1", "172.18.0.3", "worker", 22, "root", tmp_path / "id", tmp_path / "kh"),
        ),
        lab="demo",
        endpoint_mode="dnsrr",
        images={"gateway": "swarmlab/gateway:lab"},
    )
    path = tmp_path / "inventory.yaml"
    inventory.dump(original, path)
    again = inventory.load(path)
    assert again.nodes == original.nodes
    assert (again.lab, again.endpoint_mode, again.images) == ("demo", "dnsrr", {"gateway": "swarmlab/gateway:lab"})
    assert "key: id" in path.read_text()


@pytest.mark.parametrize(
    "text, words",
    [
        (GOOD.replace("port: 2222", "port: 70000"), ["line 8", "field port", "70000", "1-65535"]),
        (GOOD.replace("port: 2222", "port: ssh"), ["field port", "'ssh'"]),
        (GOOD.replace("role: manager", "role: boss"), ["line 5", "field role", "'boss'"]),
        (GOOD.replace("role: manager", "role: worker"), ["field nodes", "exactly one", "role: manager"]),
        (GOOD.replace("name: worker-1", "name: manager"), ["field name", "listed twice"]),
        (GOOD.replace("name: worker-1", "name: Worker_1"), ["field name", "not a hostname"]),
        (GOOD.replace("    address: 10.0.0.2\n", ""), ["nodes[1].address", "node 2 has no address"]),
        (GOOD.replace("become: sudo", "become: doas"), ["field become", "sudo"]),
        (GOOD.replace("user: student", "colour: red"), ["line 9", "field colour", "unknown node field"]),
        (GOOD + "endpoint_mode: fast\n", ["field endpoint_mode", "'fast'"]),
        (GOOD + "images:\n  redis: x\n", ["field redis", "unknown service"]),
        (GOOD.replace("role: manager", "role: manager\n    key: nowhere/id"), ["field key", "does not exist"]),
        ("nodes: []\n", ["field nodes", "non-empty list"]),
        ("- just\n- a list\n", ["a mapping with a `nodes` list"]),
        ("nodes: [\n", ["line", "not valid YAML"]),
    ],
)
def test_a_bad_inventory_is_refused_naming_file_line_and_field(tmp_path, text, words):
    path = write(tmp_path, text)
    with pytest.raises(InventoryError) as refused:
        inventory.load(path)
    message = str(refused.value)
    assert message.startswith(str(path)), message
    assert "\n" not in message
    for word in words:
        assert word in message, message
    assert refused.value.exit_code == 2


def test_a_missing_inventory_says_how_to_get_one(tmp_path):
    with pytest.raises(InventoryError, match="swarmlab lab up"):
        inventory.load(tmp_path / "absent.yaml")
