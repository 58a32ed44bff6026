"""The notebooks' magics on the lab: a cell runs on its node as one script that stops at the first failure,
its output masked, and a failure is one line."""

import pytest

from swarmlab.frontends import magics
from swarmlab.frontends.magics import CellFailed
from swarmlab.secrets import MASK

from ..conftest import run
from ..unit.test_notebooks import TOKEN_SAMPLE

pytestmark = pytest.mark.lab


@pytest.fixture
def on_lab(shell, lab_inventory, monkeypatch, capsys):
    """The magics on the suite's lab, chosen the way a student's VMs are: by inventory file."""
    monkeypatch.setenv(magics.INVENTORY_ENV, str(lab_inventory.path))
    assert run(shell, "%cluster") is None
    capsys.readouterr()
    return shell


def test_node_cell_stops_at_the_first_failing_command_and_fails(on_lab, capsys):
    error = run(on_lab, "%%node manager\necho before\nfalse\necho after")
    out = capsys.readouterr().out
    assert isinstance(error, CellFailed) and "manager" in str(error)
    assert "before" in out and "after" not in out


def test_node_cell_fails_when_a_pipeline_fails_midway(on_lab):
    assert isinstance(run(on_lab, "%%node worker-1\nfalse | cat"), CellFailed)


def test_node_cell_output_is_masked(on_lab, capsys):
    assert run(on_lab, f"%%node manager\necho {TOKEN_SAMPLE}\necho lemp-pass >&2") is None
    captured = capsys.readouterr()
    assert captured.out.strip() == "SWMTKN-1-" + MASK
    assert captured.err.strip() == MASK


def test_node_cell_passes_notebook_variables_and_the_labs_compose_settings(on_lab, capsys):
    on_lab.user_ns["php_ip"] = "10.0.1.27"
    assert run(on_lab, "%%node worker-2 --env php_ip\necho $php_ip $LEMP_ENDPOINT_MODE") is None
    assert capsys.readouterr().out.split() in (["10.0.1.27", "dnsrr"], ["10.0.1.27", "vip"])


def test_node_line_magic_returns_the_output_with_docker_templates_untouched(on_lab):
    assert run(on_lab, "hostname = %node worker-1 docker info --format '{{.Name}}'") is None
    assert on_lab.user_ns["hostname"] == "worker-1"


def test_an_unknown_node_is_one_clear_line_naming_the_known_ones(on_lab):
    error = run(on_lab, "%%node worker-9\ntrue")
    assert isinstance(error, CellFailed)
    assert "worker-9" in str(error) and "manager, worker-1, worker-2" in str(error)
    assert "\n" not in str(error)
