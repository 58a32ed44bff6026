"""The checks' ids are the keys of everything graded: rubrics, gradebooks, LMS imports and JUnit of earlier classes.

The list below is the one the checks had before their registry replaced pytest as their engine, with the one
check added since (the overlay's overlap, which a rubric of an earlier class gives no points). A renamed check
would silently drop its points from every rubric written for it, so a change here is a change of the course.
"""

import xml.etree.ElementTree as ET

from swarmlab.checking.reports import JunitReport
from swarmlab.checks import known_checks, run_checks
from swarmlab.transport.factory import replayed

from ..conftest import RECORDINGS

IDS = {
    "init": ("manager_answers_with_docker", "swarm_is_active_on_the_manager", "manager_is_a_manager_and_the_leader"),
    "join": (
        "every_worker_answers_with_docker",
        "every_inventory_node_is_in_the_swarm",
        "the_swarm_has_no_node_outside_the_inventory",
        "no_node_is_listed_twice",
        "every_node_is_ready_and_active",
        "one_manager_leads_and_the_others_are_workers",
    ),
    "network": (
        "lemp_overlay_exists",
        "lemp_overlay_is_an_overlay_of_swarm_scope",
        "lemp_overlay_was_created_outside_the_stacks",
        "lemp_overlay_does_not_overlap_the_nodes_networks",  # added this round
    ),
    "sync": ("level6_is_on_every_node", "level6_is_the_same_on_every_node"),
    "stacks": (
        "the_three_lesson_stacks_are_deployed",
        "each_stack_holds_its_one_service",
        "each_service_runs_in_the_lessons_mode",
        "the_gateway_runs_one_task_on_every_node",
        "the_gateway_publishes_port_80_in_host_mode",
        "php_fpm_wants_six_replicas",
        "every_replicated_service_runs_all_its_tasks",
        "php_fpm_is_spread_evenly_over_the_nodes",
        "the_db_is_healthy",
        "every_service_is_attached_to_lemp_overlay",
        "hostnames_show_the_node_that_runs_the_task",
    ),
    "labels": ("every_node_carries_the_lessons_labels", "no_lesson_label_is_on_another_node"),
    "placement": (
        "each_service_has_the_lessons_constraint",
        "the_gateway_runs_on_the_ingress_nodes_only",
        "php_fpm_runs_four_tasks_on_the_fpm_nodes",
        "the_db_runs_on_the_storage_node",
    ),
    "vip": ("php_fpm_resolves_as_its_endpoint_mode_says", "tasks_php_fpm_resolves_to_the_running_tasks"),
    "connectivity": ("each_gateway_pings_php_fpm_on_another_node", "large_packets_cross_between_nodes"),
    "panel": (
        "the_panel_stack_runs_an_agent_on_every_node",
        "the_panel_runs_on_a_manager",
        "the_panel_answers_https_on_9443",
    ),
    "pages": (
        "every_node_answers_200_with_the_posts_table",
        "every_node_shows_the_same_posts",
        "php_fpm_hostnames_from_several_nodes_appear",
    ),
    "teardown": ("no_lesson_stack_remains", "no_db_volume_remains"),
}
PART_1 = ("init", "join", "network", "sync", "stacks", "vip", "connectivity", "pages", "teardown")


def test_every_check_keeps_its_stage_and_id_in_the_lessons_order():
    assert known_checks() == IDS


def test_part_1_is_checked_by_its_stages_only():
    assert known_checks(1) == {stage: IDS[stage] for stage in PART_1}


def test_junit_names_each_check_by_its_stage_and_id():
    with replayed(RECORDINGS / "healthy.28.5.json.gz") as cluster:
        results = run_checks(cluster, None, "en", 1)
    cases = ET.fromstring(JunitReport().render(results, "lab").split("\n", 1)[1]).iter("testcase")
    assert [(c.get("classname"), c.get("name")) for c in cases] == [
        (f"lab.{stage}", check) for stage in PART_1 if stage != "teardown" for check in IDS[stage]
    ]
