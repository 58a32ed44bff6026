"""Installed anywhere: the wheel built from this checkout, installed into a fresh venv (not editable) and run
from another folder, checks, drives and grades the lab, and its checks run under plain pytest."""

import json
import os
import subprocess
import sys
import zipfile

import pytest

from swarmlab.transport import inventory

from ..conftest import ROOT

pytestmark = pytest.mark.lab


def run(argv, **options):
    done = subprocess.run(argv, capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=900, **options)
    assert done.returncode == 0, (argv, done.stdout[-3000:], done.stderr[-3000:])
    return done


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """(the wheel, the fresh venv's bin folder, a folder far from the checkout)."""
    build = tmp_path_factory.mktemp("wheel")
    run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(build), str(ROOT)])
    wheel = next(build.glob("swarmlab-*.whl"))
    venv = tmp_path_factory.mktemp("venv")
    run([sys.executable, "-m", "venv", str(venv)])
    run([str(venv / "bin" / "pip"), "install", "-q", str(wheel)])
    return wheel, venv / "bin", tmp_path_factory.mktemp("elsewhere")


def test_the_wheel_carries_the_checks_the_lessons_files_the_rubrics_and_the_recipes(installed):
    wheel, _, _ = installed
    names = zipfile.ZipFile(wheel).namelist()
    for wanted in (
        "swarmlab/checks/test_pages.py",
        "swarmlab/lesson/level6/lemp1/compose/edge.yaml",
        "swarmlab/lesson/level6/lemp1/up.sh",
        "swarmlab/grading/rubric.yaml",
        "swarmlab/grading/rubric-part2.yaml",
        "swarmlab/lab/recipes/gateway/Dockerfile",
    ):
        assert wanted in names, wanted
    assert not [n for n in names if n.startswith(("tests/", "labs/"))]


def test_the_installed_tool_checks_drives_and_grades_the_lab_from_another_folder(installed, lab, lesson_run):
    _, bin_dir, elsewhere = installed
    env = {k: v for k, v in os.environ.items() if k != "VIRTUAL_ENV"}
    swarmlab = [str(bin_dir / "swarmlab")]
    check = run(
        swarmlab + ["check", "--inventory", str(lab.inventory_path), "--lang", "en", "--json", "r.json"],
        cwd=elsewhere,
        env=env,
    )
    report = json.loads((elsewhere / "r.json").read_text())
    assert report["summary"]["failed"] == report["summary"]["blocked"] == 0, check.stdout
    assert run(swarmlab + ["lesson", "run", "--inventory", str(lab.inventory_path)], cwd=elsewhere, env=env)
    manager, *workers = inventory.load(lab.inventory_path).nodes
    (elsewhere / "class.csv").write_text(
        "id,name,manager,workers,user,port,key,known_hosts\n"
        f"s1,Ann,{manager.address},{';'.join(w.address for w in workers)},"
        f"root,22,{lab.key_path},{lab.known_hosts_path}\n"
    )
    run(swarmlab + ["grade", "class.csv", "--out", "book", "-q"], cwd=elsewhere, env=env)
    assert json.loads((elsewhere / "book" / "gradebook.json").read_text())["students"][0]["total"] == 100


def test_the_installed_checks_run_under_plain_pytest_by_their_entry_point(installed, lab, lesson_run):
    _, bin_dir, elsewhere = installed
    done = run(
        [
            str(bin_dir / "pytest"),
            "--pyargs",
            "swarmlab.checks",
            "-m",
            "init or join",
            "-q",
            "-p",
            "no:cacheprovider",
            "--inventory",
            str(lab.inventory_path),
        ],
        cwd=elsewhere,
    )
    assert "9 passed" in done.stdout


def test_the_installed_lessons_scripts_keep_their_execute_bit(installed):
    _, bin_dir, _ = installed
    found = run(
        [
            str(bin_dir / "python"),
            "-c",
            "from swarmlab import resources; import os; "
            "print(os.access(resources.level6() / 'lemp1' / 'up.sh', os.X_OK))",
        ]
    )
    assert found.stdout.strip() == "True"
