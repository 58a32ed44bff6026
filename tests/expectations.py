"""What the checks must say about each recorded cluster state: the lesson's specification, fault by fault.

Each entry names a state (a recording in tests/recordings, made on the lab by
tests/lab/faults) and every check that does not pass there: its
outcome, its catalog key and words its message must hold (the cause, the
node). Every other check must pass. The replay suite holds the recordings to
this table in seconds; the fault tests hold the live lab to the same table.
"""

from dataclasses import dataclass, field

FAILED, BLOCKED, NOT_APPLICABLE = "failed", "blocked", "not_applicable"


@dataclass(frozen=True)
class Expect:
    why: str
    outcomes: dict = field(default_factory=dict)  # {(stage, check id): (outcome, key, *words in the message)}
    part: int = 1
    stages: tuple = ()  # the stages checked (default: every stage of the part)


def either(*alternatives) -> list:
    """Outcomes that each hold at some moment of a restart loop (a db killed for being unhealthy runs for a
    few seconds each time): the state is honest either way, and each alternative is still precise."""
    return list(alternatives)


# The checks by stage, in the lesson's order, as rubrics and gradebooks of earlier classes name them
# (tests/unit/test_check_ids.py holds the registry to them).
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
N, SAME, HOSTS = (("pages", c) for c in IDS["pages"])  # a page for every node, the same posts, php-fpm's hosts
PAGES = (N, SAME, HOSTS)
PASSED = ("passed", None)


def all_of(checks, *outcome) -> dict:
    return {check: outcome for check in checks}


OVERLAY_LOST = all_of(PAGES, BLOCKED, "blocked.overlay", "worker-2")
STACKS_ABSENT = {
    ("stacks", "the_three_lesson_stacks_are_deployed"): (FAILED, "stacks.missing", "edge, core, storage"),
    **all_of([("stacks", c) for c in IDS["stacks"][1:]], BLOCKED, "blocked.service"),
    **all_of([(stage, c) for stage in ("vip", "connectivity") for c in IDS[stage]], BLOCKED, "blocked.service"),
    **all_of(PAGES, BLOCKED, "blocked.service"),
}

EXPECTED = {
    "healthy": Expect("the lab after `swarmlab lesson run`: every check passes"),
    "slot-hostname-template": Expect(
        "php-fpm's hostname as in the author's current files, php-fpm-{{.Node.Hostname}}-{{.Task.Slot}}: "
        "a legitimate variant, every check passes"
    ),
    "drained-worker": Expect(
        "worker-1 drained",
        {
            ("join", "every_node_is_ready_and_active"): (
                FAILED,
                "join.not_active",
                "worker-1 is drain",
                "--availability active worker-1",
            ),
            N: (BLOCKED, "blocked.no_gateway_on", "worker-1"),
        },
    ),
    "stale-node-entry": Expect(
        "worker-2 left and joined again: its old entry stays Down",
        {("join", "no_node_is_listed_twice"): (FAILED, "join.stale", "worker-2 is listed twice", "docker node rm")},
    ),
    "worker-left": Expect(
        "worker-2 left the swarm and its entry was removed",
        {
            ("join", "every_inventory_node_is_in_the_swarm"): (
                FAILED,
                "join.not_joined",
                "worker-2",
                "docker swarm join --token",
            ),
            N: (BLOCKED, "blocked.no_gateway_on", "worker-2"),
        },
    ),
    "second-manager": Expect(
        "worker-1 promoted: two managers",
        {
            ("join", "one_manager_leads_and_the_others_are_workers"): (
                FAILED,
                "join.second_manager",
                "2 managers",
                "docker node demote worker-1",
            )
        },
    ),
    "cluster-port-blocked": Expect(
        "worker-2 cannot reach the manager's 2377: Down, heartbeat failure",
        {
            ("join", "every_node_is_ready_and_active"): (FAILED, "join.down", "worker-2", "heartbeat failure", "2377"),
            ("vip", "php_fpm_resolves_as_its_endpoint_mode_says"): (FAILED, "diagnose.node_down", "worker-2"),
            ("vip", "tasks_php_fpm_resolves_to_the_running_tasks"): (FAILED, "diagnose.node_down", "worker-2"),
        },
    ),
    "vxlan-blocked": Expect(
        "4789/udp dropped on worker-2: the peers know it, its packets are lost",
        {
            ("connectivity", "each_gateway_pings_php_fpm_on_another_node"): (
                FAILED,
                "diagnose.vxlan",
                "worker-2",
                "4789/udp",
            ),
            ("connectivity", "large_packets_cross_between_nodes"): (BLOCKED, "blocked.no_small_pings"),
            **OVERLAY_LOST,
        },
    ),
    "gossip-blocked": Expect(
        "7946 dropped on worker-2: the others' NetworkDB forgets it",
        {
            ("vip", "php_fpm_resolves_as_its_endpoint_mode_says"): (FAILED, "diagnose.gossip", "worker-2", "7946"),
            ("vip", "tasks_php_fpm_resolves_to_the_running_tasks"): (FAILED, "diagnose.gossip", "worker-2", "7946"),
            ("connectivity", "each_gateway_pings_php_fpm_on_another_node"): (
                FAILED,
                "diagnose.gossip",
                "worker-2",
                "7946",
            ),
            ("connectivity", "large_packets_cross_between_nodes"): (BLOCKED, "blocked.no_small_pings"),
            **OVERLAY_LOST,
        },
    ),
    "mtu-1400": Expect(
        "worker-2's link MTU 1400, below the overlay's 1450+50",
        {
            ("connectivity", "large_packets_cross_between_nodes"): (
                FAILED,
                "diagnose.mtu",
                "worker-2",
                "com.docker.network.driver.mtu",
            ),
            **OVERLAY_LOST,
        },
    ),
    "php-scaled-to-five": Expect(
        "core_php-fpm scaled to 5",
        {("stacks", "php_fpm_wants_six_replicas"): (FAILED, "stacks.replicas", "wants 5", "core_php-fpm=6")},
    ),
    "php-unbalanced": Expect(
        "worker-1 and worker-2 drained, then active again: six tasks stay on the manager",
        {
            ("stacks", "php_fpm_is_spread_evenly_over_the_nodes"): (
                FAILED,
                "stacks.spread",
                "manager=6",
                "docker service update --force core_php-fpm",
            ),
            HOSTS: (BLOCKED, "blocked.one_php_node", "manager"),
        },
    ),
    "php-unattached": Expect(
        "a php-fpm container on worker-1 taken off lemp-overlay while its task runs: the homework's redeploy on "
        "one node left this now and then (a running task without its overlay address)",
        {
            ("vip", "php_fpm_resolves_as_its_endpoint_mode_says"): (FAILED, "diagnose.unattached", "on worker-1"),
            ("vip", "tasks_php_fpm_resolves_to_the_running_tasks"): (FAILED, "diagnose.unattached", "on worker-1"),
            ("connectivity", "each_gateway_pings_php_fpm_on_another_node"): (
                FAILED,
                "diagnose.unattached",
                "on worker-1",
            ),
            ("connectivity", "large_packets_cross_between_nodes"): (BLOCKED, "blocked.no_small_pings"),
            N: (BLOCKED, "blocked.overlay", "worker-1"),
            SAME: (BLOCKED, "blocked.overlay"),
            HOSTS: (BLOCKED, "blocked.overlay"),
        },
    ),
    "php-pinned": Expect(
        "core_php-fpm constrained to worker-1",
        {
            ("stacks", "php_fpm_is_spread_evenly_over_the_nodes"): (
                FAILED,
                "stacks.pinned",
                "node.hostname==worker-1",
                "--constraint-rm",
            ),
            HOSTS: (BLOCKED, "blocked.one_php_node", "worker-1"),
        },
    ),
    "plain-hostname-template": Expect(
        "php-fpm's hostname without the node",
        {
            ("stacks", "hostnames_show_the_node_that_runs_the_task"): (FAILED, "stacks.hostname", "'php-fpm'"),
            HOSTS: (BLOCKED, "blocked.template", "php-fpm"),
        },
    ),
    "gateway-ingress-mode": Expect(
        "port 80 published through the routing mesh on a kernel without IPVS",
        {
            ("stacks", "the_gateway_publishes_port_80_in_host_mode"): (
                FAILED,
                "stacks.port",
                "mode=ingress",
                "mode: host",
            ),
            N: (FAILED, "diagnose.ingress_no_ipvs", "manager"),
            SAME: (BLOCKED, "blocked.page"),
            HOSTS: (BLOCKED, "blocked.page"),
        },
    ),
    "db-unhealthy": Expect(
        "the db's healthcheck fails: swarm restarts it over and over",
        {
            ("stacks", "the_db_is_healthy"): (FAILED, "diagnose.db_unhealthy", "storage_db"),
            ("stacks", "every_replicated_service_runs_all_its_tasks"): either(
                PASSED, (FAILED, "diagnose.db_unhealthy")
            ),
            **{
                check: either((BLOCKED, "blocked.db_unhealthy"), (BLOCKED, "blocked.no_task", "storage_db"))
                for check in PAGES
            },
        },
    ),
    "level6-missing": Expect(
        "the lesson's folder moved away on worker-2 (running containers keep theirs)",
        {("sync", "level6_is_on_every_node"): (FAILED, "sync.missing", "worker-2")},
    ),
    "bind-source-missing": Expect(
        "the lesson's folder missing on worker-2 when its gateway restarts",
        {
            ("sync", "level6_is_on_every_node"): (FAILED, "sync.missing", "worker-2"),
            ("stacks", "the_gateway_runs_one_task_on_every_node"): (
                FAILED,
                "diagnose.bind_source",
                "worker-2",
                "bind source path does not exist",
            ),
            N: (BLOCKED, "blocked.no_gateway_on", "worker-2"),
        },
    ),
    "gateway-exits": Expect(
        "the lesson's default.conf mistyped on worker-2 (`lisen 80;`) when its gateway restarts: that task exits",
        {
            ("sync", "level6_is_the_same_on_every_node"): (FAILED, "sync.differs", "worker-2", "default.conf"),
            ("stacks", "the_gateway_runs_one_task_on_every_node"): (
                FAILED,
                "diagnose.task_exits",
                "worker-2",
                "exits with code 1",
                "docker service logs",
            ),
            N: (BLOCKED, "blocked.no_gateway_on", "worker-2"),
        },
    ),
    "two-cards": Expect(
        "the homework's one node with a second network card (a network of the lab's own): Docker refuses "
        "`docker swarm init`, it cannot choose which address to advertise",
        {
            ("init", "swarm_is_active_on_the_manager"): (
                FAILED,
                "diagnose.two_cards",
                "eth0",
                "eth1",
                "--advertise-addr",
            ),
            ("init", "manager_is_a_manager_and_the_leader"): (BLOCKED, "blocked.no_swarm", "no swarm on manager"),
        },
        stages=("init",),
    ),
    "port-80-taken": Expect(
        "a web server of the student's own holds port 80 on worker-1",
        {
            ("stacks", "the_gateway_runs_one_task_on_every_node"): (
                FAILED,
                "diagnose.port_busy",
                "worker-1",
                "python3",
            ),
            N: (BLOCKED, "blocked.no_gateway_on", "worker-1"),
        },
    ),
    "image-missing": Expect(
        "php-fpm's image removed from worker-2, which cannot pull it",
        {
            ("stacks", "php_fpm_is_spread_evenly_over_the_nodes"): (
                FAILED,
                "diagnose.image_missing",
                "worker-2",
                "swarmlab/php-fpm:lab",
            )
        },
    ),
    "stale-upstream": Expect(
        "worker-1's nginx kept php-fpm addresses resolved at start; php-fpm's tasks replaced",
        {
            N: (FAILED, "diagnose.stale_upstream", "worker-1"),
            SAME: either(PASSED, (BLOCKED, "blocked.page", "worker-1")),
        },
    ),
    "db-other-password": Expect(
        "a db volume initialised with another password: healthy, yet PHP is refused",
        {
            N: (FAILED, "diagnose.db_password", "Access denied"),
            SAME: (BLOCKED, "blocked.page"),
            HOSTS: (BLOCKED, "blocked.page"),
        },
    ),
    "vip-mode": Expect(
        "core in vip mode on a kernel without IPVS: its VIP carries nothing",
        {
            N: (FAILED, "diagnose.no_ipvs", "IPVS", "dnsrr"),
            # Docker 20.10 resolves the VIP without IPVS; newer engines (26.1, 28.5) give it no name.
            ("vip", "php_fpm_resolves_as_its_endpoint_mode_says"): either(PASSED, (FAILED, "diagnose.no_ipvs", "IPVS")),
            SAME: (BLOCKED, "blocked.page"),
            HOSTS: (BLOCKED, "blocked.page"),
        },
    ),
    "stacks-removed-volume-left": Expect(
        "`docker stack rm edge core storage` without `docker volume rm storage_db_volume`",
        {("teardown", "no_db_volume_remains"): (FAILED, "teardown.volume", "docker volume rm storage_db_volume")},
        stages=("init", "join", "network", "sync", "teardown"),
    ),
    "network-bridge": Expect(
        "lemp-overlay made with the bridge driver, no stack deployed",
        {
            ("network", "lemp_overlay_is_an_overlay_of_swarm_scope"): (
                FAILED,
                "network.driver",
                "driver bridge",
                "docker network create -d overlay lemp-overlay",
            ),
            **STACKS_ABSENT,
        },
    ),
    "overlay-overlaps-the-nodes": Expect(
        "lemp-overlay made with the nodes' own network as its subnet, no stack deployed",
        {
            ("network", "lemp_overlay_does_not_overlap_the_nodes_networks"): (
                FAILED,
                "diagnose.overlap",
                "own network",
                "docker network create -d overlay --subnet",
            ),
            **STACKS_ABSENT,
        },
    ),
    "edge-before-core": Expect(
        "edge deployed alone, as the lesson first does",
        {
            ("stacks", "the_three_lesson_stacks_are_deployed"): (FAILED, "stacks.missing", "core, storage"),
            ("stacks", "the_gateway_runs_one_task_on_every_node"): (
                FAILED,
                "stacks.gateway_upstream",
                "host not found in upstream",
                "docker stack deploy -c ./core.yaml",
            ),
            **{
                check: outcome
                for check, outcome in STACKS_ABSENT.items()
                if check[1]
                not in (
                    "the_three_lesson_stacks_are_deployed",
                    "the_gateway_runs_one_task_on_every_node",
                    "the_gateway_publishes_port_80_in_host_mode",
                    "each_stack_holds_its_one_service",
                )
            },
        },
    ),
    "storage-missing": Expect(
        "edge and core deployed, storage not yet: the page says the db is unreachable",
        {
            ("stacks", "the_three_lesson_stacks_are_deployed"): (FAILED, "stacks.missing", "storage"),
            **all_of(
                [
                    ("stacks", c)
                    for c in (
                        "each_service_runs_in_the_lessons_mode",
                        "every_replicated_service_runs_all_its_tasks",
                        "the_db_is_healthy",
                        "every_service_is_attached_to_lemp_overlay",
                        "hostnames_show_the_node_that_runs_the_task",
                    )
                ],
                BLOCKED,
                "blocked.service",
                "storage_db",
            ),
            **all_of(PAGES, BLOCKED, "blocked.service", "storage_db"),
        },
    ),
}


def assert_outcomes(results, expect: Expect) -> None:
    """Every listed check ends as listed (outcome, key, words); every other check passes."""
    got = {(r.stage, r.id): r for r in results}
    for check, wanted in expect.outcomes.items():
        assert check in got, f"{check} did not run"
        result = got[check]
        alternatives = wanted if isinstance(wanted, list) else [wanted]
        assert any(matches(result, alternative) for alternative in alternatives), (
            check,
            result.outcome,
            result.key,
            result.message,
            alternatives,
        )
    others = [
        (c, r.outcome, r.key, r.message) for c, r in got.items() if c not in expect.outcomes and r.outcome != "passed"
    ]
    assert not others, others


def matches(result, wanted: tuple) -> bool:
    outcome, key, *words = wanted
    if outcome == "passed":
        return result.outcome == "passed"
    text = result.message + " " + result.hint
    return (result.outcome, result.key) == (outcome, key) and all(word in text for word in words)
