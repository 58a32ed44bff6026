"""The labs/ definitions: the course's two labs, read by `swarmlab lab up --config` as kind reads a cluster's."""

from pathlib import Path

import pytest

from swarmlab.lab import definition
from swarmlab.transport.factory import DEFAULT_LAB

from ..conftest import assert_one_clear_line, swarmlab

LABS = Path(__file__).resolve().parents[2] / "labs"


def test_the_lessons_definition_is_the_lab_that_lab_up_makes_without_one():
    assert definition.load(LABS / "lesson.yaml") == definition.Definition(name=DEFAULT_LAB)


def test_the_homeworks_definition_is_one_node_named_as_the_notebooks_name_it():
    homework = definition.load(LABS / "homework.yaml")
    assert (homework.name, homework.nodes) == (f"{DEFAULT_LAB}-1node", 1)
    assert (homework.engine, homework.images) == (definition.DEFAULT_ENGINE, "lab")


@pytest.mark.parametrize(
    "text, words",
    [
        ("nodez: 3\n", ["unknown field 'nodez'", "name, nodes, engine and images"]),
        ("nodes: '3'\n", ["nodes must be a whole number from 1 to 5", "'3'"]),
        ("nodes: 9\n", ["nodes must be a whole number from 1 to 5"]),
        ("engine: '19.03'\n", ["engine 19.03 is not one the lab offers"]),
        ("images: registry\n", ["images must be lab or upstream"]),
        ("- nodes: 3\n", ["a lab definition is a mapping"]),
        ("a: &x [1]\nb: *x\n", ["YAML alias"]),
    ],
)
def test_a_definition_with_a_wrong_field_is_refused_before_any_lab_is_touched(tmp_path, text, words):
    config = tmp_path / "lab.yaml"
    config.write_text(text)
    assert_one_clear_line(swarmlab("lab", "up", "--config", str(config), "--lab", "never-made"), 2, *words)


def test_a_definition_that_does_not_exist_is_refused_by_its_option():
    assert_one_clear_line(swarmlab("lab", "up", "--config", "/no/such/lab.yaml"), 2, "--config", "/no/such/lab.yaml")
