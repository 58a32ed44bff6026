"""What the lesson defines and the variants it accepts: a check judges what the lesson teaches, not one
literal string."""

import pytest

from swarmlab.lesson.spec import PART1, PART2, PHP_FPM, VARIANTS, node_in_hostname, template_shows_node
from swarmlab.state.models import SwarmNode
from swarmlab.state.placement import allows, known_key, matches


@pytest.mark.parametrize(
    "template, passes",
    [
        ("php-fpm-{{.Node.Hostname}}", True),  # the lesson as published
        ("php-fpm-{{.Node.Hostname}}-{{.Task.Slot}}", True),  # the author's current files
        ("php-fpm", False),
        ("php-fpm-{{.Task.Slot}}", False),
        ("fpm-{{.Node.Hostname}}", False),
    ],
)
def test_a_php_fpm_hostname_passes_when_it_shows_the_node_that_ran_the_task(template, passes):
    assert template_shows_node(template, PART1.service(PHP_FPM)) is passes


@pytest.mark.parametrize(
    "hostname, node",
    [
        ("php-fpm-worker-1", "worker-1"),
        ("php-fpm-worker-1-3", "worker-1"),
        ("php-fpm-manager-6", "manager"),
        ("php-fpm-worker-12-1", "worker-12"),
        ("php-fpm", None),
    ],
)
def test_the_node_is_read_from_either_template(hostname, node):
    assert node_in_hostname(hostname, ("manager", "worker-1", "worker-2", "worker-12")) == node


def test_every_variant_says_why_it_is_accepted():
    assert all(v.why and v.accepted for v in VARIANTS)


def node(hostname="worker-1", role="worker", labels=None):
    return SwarmNode(
        {
            "ID": hostname,
            "Description": {"Hostname": hostname, "Platform": {"OS": "linux"}},
            "Spec": {"Role": role, "Labels": labels or {}, "Availability": "active"},
        }
    )


@pytest.mark.parametrize(
    "constraint, labels, role, allowed",
    [
        ("node.labels.fpm == true", {"fpm": "true"}, "worker", True),
        ("node.labels.fpm == true", {"fmp": "true"}, "worker", False),
        ("node.labels.fpm != true", {}, "worker", True),
        ("node.role == manager", {}, "manager", True),
        ("node.role==manager", {}, "worker", False),
        ("node.platform.os == linux", {}, "worker", True),
        ("fpm == true", {"fpm": "true"}, "worker", False),  # no such key: swarmkit matches no node
    ],
)
def test_placement_constraints_are_judged_as_swarmkits_scheduler_judges_them(constraint, labels, role, allowed):
    assert matches(constraint, node(role=role, labels=labels)) is allowed


def test_a_constraint_without_node_labels_is_known_as_an_unknown_key():
    assert not known_key("fpm == true") and known_key("node.labels.fpm == true")


def test_part_two_pins_each_service_by_the_lessons_labels():
    nodes = {name: node(name, labels=labels) for name, labels in PART2.labels.items()}
    where = {
        s.name: sorted(n for n, spec in nodes.items() if allows([s.constraint], spec))
        for s in PART2.services
        if s.constraint and s.constraint.startswith("node.labels")
    }
    assert where == {
        "edge_gateway": ["manager", "worker-1"],
        "core_php-fpm": ["manager", "worker-1"],
        "storage_db": ["worker-2"],
    }
