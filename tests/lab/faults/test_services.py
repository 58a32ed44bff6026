"""Faults of the stacks' services: php-fpm scaled, pinned or unbalanced, the gateway's publishing,
binds, config and port, and the db's health and password."""

from contextlib import contextmanager
from datetime import datetime, timezone

import pytest

from swarmlab.lesson.context import Options
from swarmlab.lesson.driver import Lesson
from swarmlab.lesson.spec import LESSON_DIR
from swarmlab.state import reads
from swarmlab.state.models import when
from swarmlab.waiting import until

from .catalogue import checked, on, settled, undone, without_the_db

pytestmark = pytest.mark.lab


def test_php_fpm_scaled_to_five_is_named_with_the_scale_command(lab, cluster):
    with undone(lab):
        on(cluster, "manager", "docker service scale -d core_php-fpm=5")
        settled(cluster)
        checked(cluster, "php-scaled-to-five")


def test_php_fpm_left_on_one_node_fails_the_spread_and_nothing_that_does_not_need_it(lab, cluster, db_on_the_manager):
    with undone(lab, "spread core_php-fpm again", run="php-unbalanced"):
        for node in ("worker-1", "worker-2"):
            on(cluster, "manager", "docker node update --availability drain %s", node)
        settled(cluster)
        for node in ("worker-1", "worker-2"):
            on(cluster, "manager", "docker node update --availability active %s", node)
        settled(cluster)
        checked(cluster, "php-unbalanced")


def test_php_fpm_pinned_by_a_constraint_names_the_constraint_to_remove(lab, cluster):
    with undone(lab):
        on(cluster, "manager", "docker service update -q -d --constraint-add node.hostname==worker-1 core_php-fpm")
        settled(cluster)
        checked(cluster, "php-pinned")


@pytest.mark.parametrize(
    "template, state",
    [("php-fpm", "plain-hostname-template"), ("php-fpm-{{.Node.Hostname}}-{{.Task.Slot}}", "slot-hostname-template")],
)
def test_a_hostname_template_passes_when_it_shows_the_node_that_runs_the_task(lab, cluster, template, state):
    with undone(lab):
        on(cluster, "manager", "docker service update -q -d --hostname %s core_php-fpm", template)
        settled(cluster)
        checked(cluster, state)


def test_a_gateway_published_through_the_routing_mesh_names_host_mode(lab, cluster):
    with undone(lab):
        on(
            cluster,
            "manager",
            "docker service update -d --publish-rm published=80,target=80,mode=host "
            "--publish-add mode=ingress,target=80,published=80 edge_gateway",
        )
        settled(cluster)
        checked(cluster, "gateway-ingress-mode")


def test_an_unhealthy_db_is_named_with_its_health_and_log(lab, cluster):
    with undone(lab):
        on(
            cluster,
            "manager",
            "docker service update -d --health-cmd 'exit 1' --health-interval 1s "
            "--health-retries 1 --health-start-period 0s storage_db",
        )

        def unhealthy(view):
            return any(
                c.service == "storage_db" and c.health == "unhealthy"
                for node in reads.read_nodes(cluster, LESSON_DIR).values()
                for c in node.containers
            )

        settled(cluster, "the db to turn unhealthy", condition=unhealthy)
        checked(cluster, "db-unhealthy")


@contextmanager
def level6_away(cluster, node="worker-2"):
    """The lesson's folder moved aside on `node` (running containers keep theirs), and put back after."""
    on(cluster, node, "mv /opt/docker-lessons/level6 /opt/docker-lessons/level6.away")
    try:
        yield
    finally:
        on(cluster, node, "mv /opt/docker-lessons/level6.away /opt/docker-lessons/level6")


def test_the_lessons_folder_missing_on_one_node_is_named(lab, cluster):
    with level6_away(cluster):
        checked(cluster, "level6-missing")


def test_a_bind_source_missing_on_one_node_rejects_its_task_with_dockers_words(lab, cluster):
    with undone(lab), level6_away(cluster):
        on(cluster, "manager", "docker service update -q -d --force edge_gateway")
        settled(
            cluster,
            "the gateway's task on worker-2 to be rejected",
            condition=lambda view: any(
                "bind source path does not exist" in t.error
                for t in view.tasks_of(view.service("edge_gateway"), running_only=False)
            ),
        )
        checked(cluster, "bind-source-missing")


@contextmanager
def gateway_config_typo(cluster, node="worker-2"):
    """The lesson's nginx default.conf with `listen` mistyped on `node` only, as a student's edit there leaves it."""
    conf = f"{LESSON_DIR}/lemp1/config/edge/default.conf"
    on(cluster, node, "cp -p %s /tmp/default.conf.good", conf)
    on(cluster, node, "sed -i %s %s", "s/listen 80;/lisen 80;/", conf)
    try:
        yield
    finally:
        on(cluster, node, "cat /tmp/default.conf.good > %s && rm /tmp/default.conf.good", conf)


def test_a_gateway_that_exits_on_one_node_is_shown_by_that_tasks_own_lines(lab, cluster):
    with undone(lab, run="gateway-exits"), gateway_config_typo(cluster):
        since = datetime.now(timezone.utc)
        on(cluster, "manager", "docker service update -q -d --force edge_gateway")
        settled(
            cluster,
            "the gateway's task on worker-2 to exit",
            condition=lambda view: (
                view.service("edge_gateway").update_state in ("paused", "completed")
                and any(
                    t.exit_code and view.hostname_of(t) == "worker-2" and when(t.timestamp) > since
                    for t in view.tasks_of(view.service("edge_gateway"), running_only=False)
                )
            ),
        )

        # Restarted every 5 s, the task runs for a moment each time: the state is a read between two starts, one
        # whose gateway check does not pass; that read is held to every expectation, the diagnosis included.
        def between_starts(found):
            return any(r.id == "the_gateway_runs_one_task_on_every_node" and r.outcome != "passed" for r in found)

        results = checked(cluster, "gateway-exits", shows=between_starts)
    failed = next(r for r in results if r.key == "diagnose.task_exits")
    assert any('unknown directive "lisen"' in line for line in failed.evidence), failed.evidence


def test_port_80_taken_on_a_node_names_the_program_that_holds_it(lab, cluster):
    with undone(lab):
        try:
            on(cluster, "manager", "docker stack rm edge")
            settled(
                cluster,
                "the gateways to go",
                condition=lambda view: (
                    not any(
                        c.service == "edge_gateway"
                        for c in reads.read_nodes(cluster, LESSON_DIR)["worker-1"].containers
                    )
                ),
            )
            on(cluster, "worker-1", "nohup python3 -m http.server 80 >/dev/null 2>&1 & sleep 1")
            Lesson(cluster).step("deploy", Options(stacks=("edge",)))
            settled(
                cluster,
                "the gateway on worker-1 to fail",
                condition=lambda view: any(
                    "address already in use" in t.error
                    for t in view.tasks_of(view.service("edge_gateway"), running_only=False)
                ),
            )
            checked(cluster, "port-80-taken")
        finally:
            on(cluster, "worker-1", "pkill -f 'http[.]server 80' || true")


def test_a_gateway_holding_php_fpm_addresses_no_task_has_is_named_from_nginxs_log(lab, cluster):
    gateway = reads.read_nodes(cluster, LESSON_DIR)["worker-1"].running("edge_gateway")[0].id
    with undone(lab):
        try:
            # What the lesson's nginx does: resolve php-fpm once. The lab's gateway follows the tasks; stop that.
            on(
                cluster,
                "worker-1",
                "docker exec %s sh -c %s",
                gateway,
                "for p in /proc/[0-9]*; do grep -qa 'swarmlab-gatewa[y]' $p/cmdline 2>/dev/null && kill ${p#/proc/}; "
                "done; true",
            )
            on(cluster, "manager", "docker service update -q -d --force core_php-fpm")
            settled(cluster)
            checked(cluster, "stale-upstream")
        finally:
            on(cluster, "worker-1", "docker rm -f %s", gateway)


def test_a_db_volume_made_with_another_password_is_named_though_the_db_is_healthy(lab, cluster):
    with undone(lab):
        try:
            without_the_db(cluster, volumes=False)
            for node in cluster.names:
                on(
                    cluster,
                    node,
                    "docker volume rm -f storage_db_volume && docker run -d --name other-password "
                    "-e MYSQL_ROOT_PASSWORD=not-the-lessons -v storage_db_volume:/var/lib/mysql "
                    "swarmlab/db:lab",
                )
            for node in cluster.names:
                until(
                    lambda node=node: "ready for start" in cluster.run(node, "docker logs other-password 2>&1").stdout,
                    timeout=90,
                    what=f"the other password's db on {node}",
                )
                on(cluster, node, "docker rm -f other-password")
            Lesson(cluster).step("deploy", Options(stacks=("storage",)))
            settled(cluster)
            checked(cluster, "db-other-password")
        finally:
            without_the_db(cluster)
