"""The fault catalog: a fault injected on the lab is caught by the check meant for it, with a hint
that names the cause, and by no check of an unrelated stage (later stages may only be blocked).

Each test restores the cluster from the lesson's own files before the next one starts.
"""

import json
import time

import pytest

from labs import pages, swarm
from labs.checking import DEFAULT_STAGES
from labs.lesson import Lesson

from .conftest import swarmlab

pytestmark = pytest.mark.lab


def checks(lab, tmp_path, stages=DEFAULT_STAGES):
    report = tmp_path / "report.json"
    args = ["check", "--lab", lab.name, "--lang", "en", "--json", str(report)]
    for stage in stages:
        args += ["--stage", stage]
    done = swarmlab(*args)
    assert done.returncode == 1, done.stdout
    assert "Traceback" not in done.stdout + done.stderr
    return json.loads(report.read_text())["checks"]


def assert_caught(results, stage, check, *hint_words):
    by_id = {(r["stage"], r["id"]): r for r in results}
    caught = by_id[(stage, check)]
    assert caught["outcome"] == "failed", caught
    for word in hint_words:
        assert word in caught["message"] + " " + caught["hint"], caught
    elsewhere = [r for r in results if r["outcome"] == "failed" and r["stage"] != stage]
    assert not elsewhere, elsewhere
    return caught


def on_manager(cluster, command):
    result = cluster.run("manager", command, timeout=300)
    assert result.ok, result.stderr
    return result.stdout


def wait_until(predicate, timeout=120, what="the fault to show"):
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(1)


def rolled_out(cluster, service):
    status = json.loads(on_manager(cluster, "docker service inspect --format '{{json .UpdateStatus}}' " + service))
    return status is None or status.get("State") == "completed"


def restore(cluster, *stacks, rebalance=False):
    """Back to the lesson's state: redeploy what the fault touched from the lesson's files, spread
    php-fpm again if nodes came and went, and reload nginx when php-fpm's addresses changed
    (nginx resolves its upstream once, at start)."""
    lesson = Lesson(cluster)
    if stacks:
        lesson.deploy(stacks=stacks)
    if rebalance:  # scaling to 0 and back spreads the tasks again and leaves the lesson's spec as it was
        on_manager(cluster, "docker service scale core_php-fpm=0 >/dev/null && docker service scale core_php-fpm=6")
    if rebalance or "core" in stacks:
        wait_until(lambda: rolled_out(cluster, "core_php-fpm"), what="core_php-fpm's rolling update")
        lesson.reload_gateways()
    lesson.wait_converged()
    lesson.seed_data()


@pytest.fixture(autouse=True)
def converged(lesson_run):
    return lesson_run


def test_a_drained_worker_is_caught_by_join(lab, cluster, tmp_path):
    on_manager(cluster, "docker node update --availability drain worker-1")
    try:
        assert_caught(checks(lab, tmp_path), "join", "every_node_is_ready_and_active",
                      "worker-1 is drain", "--availability active worker-1")
    finally:
        on_manager(cluster, "docker node update --availability active worker-1")
        restore(cluster, rebalance=True)


def test_a_stale_down_entry_and_a_worker_that_never_joined_are_caught_by_join(lab, cluster, tmp_path):
    old_id = next(n.id for n in swarm.read_manager(cluster).nodes if n.hostname == "worker-2")
    assert cluster.run("worker-2", "docker swarm leave").ok
    Lesson(cluster).join()
    wait_until(lambda: any(n.id == old_id and n.state == "down" for n in swarm.read_manager(cluster).nodes))
    caught = assert_caught(checks(lab, tmp_path), "join", "no_node_is_listed_twice", "worker-2 is listed twice")
    assert f"docker node rm {old_id}" in caught["hint"]

    on_manager(cluster, f"docker node rm --force {old_id}")
    assert cluster.run("worker-2", "docker swarm leave").ok
    on_manager(cluster, "docker node rm --force worker-2")
    assert_caught(checks(lab, tmp_path), "join", "every_inventory_node_is_in_the_swarm",
                  "not in the swarm: worker-2", "docker swarm join --token")
    Lesson(cluster).join()
    restore(cluster, rebalance=True)


def test_a_php_fpm_scaled_to_five_is_caught_by_stacks(lab, cluster, tmp_path):
    on_manager(cluster, "docker service scale -d core_php-fpm=5")
    wait_until(lambda: len(swarm.read_manager(cluster).tasks_of(swarm.read_manager(cluster).service("core_php-fpm"))) == 5)
    assert_caught(checks(lab, tmp_path), "stacks", "php_fpm_wants_six_replicas", "wants 5", "core_php-fpm=6")
    restore(cluster, "core")


def test_a_php_fpm_pinned_to_one_node_is_caught_by_stacks(lab, cluster, tmp_path):
    on_manager(cluster, "docker service update -q --constraint-add node.hostname==worker-1 core_php-fpm")
    assert_caught(checks(lab, tmp_path), "stacks", "php_fpm_is_spread_evenly_over_the_nodes",
                  "worker-1=6", "--constraint-rm 'node.hostname==worker-1'")
    restore(cluster, "core")


def test_a_changed_php_fpm_hostname_template_is_caught_by_stacks(lab, cluster, tmp_path):
    on_manager(cluster, "docker service update -q --hostname php-fpm core_php-fpm")
    assert_caught(checks(lab, tmp_path), "stacks", "hostnames_follow_the_lessons_templates",
                  "'php-fpm'", "php-fpm-{{.Node.Hostname}}")
    restore(cluster, "core")


def test_a_gateway_published_in_ingress_mode_is_caught_by_stacks(lab, cluster, tmp_path):
    on_manager(cluster, "docker service update -d --publish-rm published=80,target=80,mode=host "
                        "--publish-add mode=ingress,target=80,published=80 "
                        "edge_gateway")
    wait_until(lambda: swarm.read_manager(cluster).service("edge_gateway").ports[0].mode == "ingress")
    assert_caught(checks(lab, tmp_path), "stacks", "the_gateway_publishes_port_80_in_host_mode",
                  "mode=ingress", "mode: host")
    restore(cluster, "edge")


def test_an_unhealthy_db_is_caught_by_stacks(lab, cluster, tmp_path):
    on_manager(cluster, "docker service update -d --health-cmd 'exit 1' --health-interval 1s --health-retries 1 "
                        "--health-start-period 0s storage_db")

    def db_unhealthy():
        view = swarm.read_manager(cluster)
        db = view.service("storage_db")
        nodes = swarm.read_nodes(cluster)
        containers = [c for v in nodes.values() for c in v.containers if c.service == "storage_db" and c.state == "running"]
        return all(c.health != "healthy" for c in containers) and db is not None

    wait_until(db_unhealthy)
    assert_caught(checks(lab, tmp_path), "stacks", "the_db_is_healthy", "storage_db is not healthy", "healthcheck")
    restore(cluster, "storage")


def test_level6_missing_on_one_node_is_caught_by_sync(lab, cluster, tmp_path):
    assert cluster.run("worker-2", "mv /opt/docker-lessons/level6 /opt/docker-lessons/level6.away").ok
    try:
        assert_caught(checks(lab, tmp_path), "sync", "level6_is_on_every_node", "missing on: worker-2",
                      "copy the folder level6")
    finally:
        assert cluster.run("worker-2", "mv /opt/docker-lessons/level6.away /opt/docker-lessons/level6").ok


def test_stacks_removed_but_the_volume_left_is_caught_by_teardown_then_the_network_edge_and_storage_faults(
        lab, cluster, tmp_path, lab_inventory):
    lesson = Lesson(cluster)
    on_manager(cluster, "docker stack rm edge core storage")
    wait_until(lambda: not any(c.service for v in swarm.read_nodes(cluster).values() for c in v.containers),
               what="the stacks' containers to go")
    assert_caught(checks(lab, tmp_path, ("init", "join", "network", "sync", "teardown")), "teardown",
                  "no_db_volume_remains", "storage_db_volume remains", "docker volume rm storage_db_volume")

    on_manager(cluster, "docker network rm lemp-overlay && docker network create -d bridge lemp-overlay")
    results = checks(lab, tmp_path)
    assert_caught(results, "network", "lemp_overlay_is_an_overlay_of_swarm_scope", "driver bridge",
                  "docker network create -d overlay lemp-overlay")
    assert {r["outcome"] for r in results if r["stage"] in ("stacks", "pages")} == {"blocked"}

    on_manager(cluster, "docker network rm lemp-overlay")
    lesson.network()
    lesson.deploy(stacks=("edge",), lesson_order=True)
    caught = assert_caught(checks(lab, tmp_path), "stacks", "the_gateway_runs_one_task_on_every_node",
                           "host not found in upstream", "docker stack deploy -c ./core.yaml")
    assert any('host not found in upstream "php-fpm"' in line for line in caught["evidence"])

    lesson.deploy(stacks=("core",))
    wait_until(lambda: swarm.read_manager(cluster).converged(swarm.read_manager(cluster).service("edge_gateway")),
               what="edge_gateway to recover by itself")
    assert_caught(checks(lab, tmp_path), "stacks", "the_three_lesson_stacks_are_deployed",
                  "stacks not deployed: storage", "docker stack deploy -c ./storage.yaml")
    page = pages.fetch(lab_inventory.manager.address)
    assert page.status == 503 and "База данных недоступна" in page.text

    restore(cluster, "storage")
