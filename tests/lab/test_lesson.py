"""The lesson, performed by `swarmlab lesson run` on a fresh lab, ends as the lesson says."""

import collections

import pytest

from swarmlab.lesson.spec import LESSON_DIR, UPSTREAM_FAILURE
from swarmlab.state import pages, reads
from swarmlab.waiting import until

from ..conftest import swarmlab

pytestmark = pytest.mark.lab


@pytest.fixture
def view(lesson_run, cluster):
    return reads.read_manager(cluster)


def test_every_step_reports_a_change_on_a_fresh_lab(lesson_run):
    for step in ("init", "join", "network", "sync", "deploy", "seed_data"):
        assert f"changed {step}:" in lesson_run.stdout
    # Converging changes nothing, unless the overlay's NetworkDB missed a join (moby/moby#53437): then it says so.
    converge = "converge: the overlay works between every pair of nodes and every check passes"
    assert f"ok {converge}" in lesson_run.stdout or (
        f"changed {converge}" in lesson_run.stdout and "NetworkDB to reach every node" in lesson_run.stdout
    )


def test_edge_alone_fails_with_host_not_found_in_upstream_php_fpm_before_core_is_deployed(lesson_run):
    out = lesson_run.stdout
    failure = out.index(UPSTREAM_FAILURE)
    assert out.index("--with-registry-auth edge") < failure < out.index("--with-registry-auth core")


def test_the_gateway_recovers_by_itself_once_core_is_deployed(lesson_run):
    out = lesson_run.stdout
    assert out.index("--with-registry-auth core") < out.index("edge_gateway recovered by itself")


def test_docker_node_ls_shows_three_ready_active_nodes_and_one_leader(view):
    assert sorted(n.hostname for n in view.nodes) == ["manager", "worker-1", "worker-2"]
    assert all(n.state == "ready" and n.availability == "active" for n in view.nodes)
    assert [n.hostname for n in view.nodes if n.leader] == ["manager"]
    assert {n.hostname: n.role for n in view.nodes}["manager"] == "manager"


def test_lemp_overlay_is_an_overlay_network_of_swarm_scope(view):
    network = view.network("lemp-overlay")
    assert (network.driver, network.scope) == ("overlay", "swarm")
    assert "com.docker.stack.namespace" not in network.labels


def test_the_three_stacks_hold_one_service_each(view):
    assert {stack: [s.name for s in services] for stack, services in view.stacks.items()} == {
        "edge": ["edge_gateway"],
        "core": ["core_php-fpm"],
        "storage": ["storage_db"],
    }


def test_the_gateway_is_global_with_one_running_task_on_each_node(view):
    gateway = view.service("edge_gateway")
    assert gateway.mode == "global"
    assert sorted(view.node_by_id(t.node_id).hostname for t in view.tasks_of(gateway)) == [
        "manager",
        "worker-1",
        "worker-2",
    ]
    assert [p.astuple() for p in gateway.ports] == [(80, 80, "tcp", "host")]


def test_php_fpm_runs_six_replicas_two_per_node(view):
    php = view.service("core_php-fpm")
    assert (php.mode, php.replicas) == ("replicated", 6)
    per_node = collections.Counter(view.node_by_id(t.node_id).hostname for t in view.tasks_of(php))
    assert per_node == {"manager": 2, "worker-1": 2, "worker-2": 2}


def test_the_db_runs_one_healthy_replica_with_its_volume(view, cluster):
    db = view.service("storage_db")
    tasks = view.tasks_of(db)
    assert (db.replicas, len(tasks)) == (1, 1)
    node = view.node_by_id(tasks[0].node_id).hostname
    node_view = reads.read_nodes(cluster, LESSON_DIR)[node]
    assert node_view.container_of(tasks[0]).health == "healthy"
    assert node_view.volume("storage_db_volume") is not None


def test_services_reached_by_name_use_the_endpoint_mode_the_kernel_supports(view, cluster):
    mode = "vip" if reads.read_info(cluster, "manager").ipvs else "dnsrr"
    assert view.service("core_php-fpm").endpoint_mode == mode
    assert view.service("storage_db").endpoint_mode == mode


def test_every_node_serves_the_same_three_posts_from_one_database(lab_inventory, lesson_run, cluster):
    seen = [pages.parse(*cluster.page(node.name)) for node in lab_inventory.nodes]
    assert all(page.status == 200 for page in seen)
    assert len(seen[0].posts) == 3
    assert all(page.posts == seen[0].posts for page in seen)


def test_the_php_fpm_hostname_changes_across_requests_to_one_node(lesson_run, cluster):
    hosts = {pages.parse(*cluster.page("manager")).host for _ in range(12)}
    assert len(hosts) >= 2, hosts
    assert len({host.removeprefix("php-fpm-") for host in hosts}) >= 2
    assert all(host.startswith("php-fpm-") for host in hosts)


def test_no_join_token_or_db_password_appears_in_the_output(lesson_run):
    text = lesson_run.stdout + lesson_run.stderr
    assert "SWMTKN-1-" not in text.replace("SWMTKN-1-********", "")
    assert "lemp-pass" not in text


def test_a_second_run_changes_nothing(lab, lesson_run, cluster):
    before = reads.read_manager(cluster)
    done = swarmlab("lesson", "run", "--lab", lab.name)
    assert done.returncode == 0, done.stderr
    assert "changed" not in done.stdout
    after = reads.read_manager(cluster)
    assert {s.id for s in after.services} == {s.id for s in before.services}
    assert {t.id for t in after.tasks if t.running} == {t.id for t in before.tasks if t.running}


def db_node(cluster):
    """The node whose container of storage_db runs, or None."""
    return next(
        (
            name
            for name, node in reads.read_nodes(cluster, LESSON_DIR).items()
            if any(c.service == "storage_db" and c.running for c in node.containers)
        ),
        None,
    )


def test_a_db_moved_away_from_its_posts_by_a_drain_is_put_back_with_them(lab, lesson_run, cluster):
    """What a VM's reboot does to part 1's db: swarm starts it on another node, on a new, empty volume, and a
    part-1 student has no label to pin it with. `lesson run` finds the copy that holds the posts and puts the db
    back with it, instead of stopping."""
    posts = pages.parse(*cluster.page("manager")).posts
    home, manager = db_node(cluster), cluster.inventory.manager.name
    assert cluster.run(manager, "docker node update --availability drain %s", home).ok
    try:
        until(lambda: db_node(cluster) not in (None, home), timeout=180, what="the db to start on another node")
    finally:
        assert cluster.run(manager, "docker node update --availability active %s", home).ok
    done = swarmlab("lesson", "run", "--lab", lab.name)
    assert done.returncode == 0, done.stdout + done.stderr
    assert db_node(cluster) == home
    assert [pages.parse(*cluster.page(name)).posts for name in cluster.names] == [posts] * len(cluster.names)


def test_the_lessons_scripts_take_the_stacks_down_and_up_again_on_the_manager(lab, lesson_run, cluster):
    """With the db's volume removed on every node in between, as a clean teardown does: the db starts afresh
    wherever it lands, and `lesson run` seeds it."""
    compose = "cd /opt/docker-lessons/level6/lemp1 && . /etc/profile.d/swarmlab.sh && "
    down = cluster.run("manager", compose + "./down.sh all")
    assert down.ok, down.stderr
    assert reads.read_manager(cluster).stacks == {}
    until(
        lambda: not any(c.service for node in reads.read_nodes(cluster, LESSON_DIR).values() for c in node.containers),
        timeout=120,
        what="the stacks' containers to go",
    )
    for node in cluster.names:
        assert cluster.run(node, "docker volume rm -f storage_db_volume").ok
    up = cluster.run("manager", compose + "./up.sh all")
    assert up.ok, up.stderr
    assert set(reads.read_manager(cluster).stacks) == {"edge", "core", "storage"}
    rerun = swarmlab("lesson", "run", "--lab", lab.name)
    assert rerun.returncode == 0, rerun.stderr


@pytest.mark.dismantles
def test_teardown_right_after_the_lessons_own_stack_rm_leaves_no_stack_and_no_db_volume(lab, lesson_run, cluster):
    """As notebook 07 does it: `docker stack rm` returns while the db is still stopping, holding its volume."""
    assert cluster.run("manager", "docker stack rm edge core storage").ok
    done = swarmlab("lesson", "step", "teardown", "--lab", lab.name)
    assert done.returncode == 0, done.stderr
    assert reads.read_manager(cluster).stacks == {}
    for name, node in reads.read_nodes(cluster, LESSON_DIR).items():
        assert "storage_db_volume" not in node.volumes, name
