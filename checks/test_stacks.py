"""Stage stacks: edge, core and storage run as the lesson's files describe."""

import collections

import pytest

from labs.checking import expect
from labs.lesson import UPSTREAM_FAILURE

pytestmark = pytest.mark.stacks

# service: (stack, mode, replicas, hostname template)
LESSON = {
    "edge_gateway": ("edge", "global", None, "gateway-{{.Node.Hostname}}"),
    "core_php-fpm": ("core", "replicated", 6, "php-fpm-{{.Node.Hostname}}"),
    "storage_db": ("storage", "replicated", 1, "db-{{.Node.Hostname}}"),
}


def deploy_command(stack: str) -> str:
    return f"docker stack deploy -c ./{stack}.yaml --with-registry-auth {stack}"


def lesson_service(view, name):
    stack = LESSON[name][0]
    service = view.service(name)
    expect(service is not None, "stacks.missing", stacks=stack, commands=deploy_command(stack))
    return service


def test_the_three_lesson_stacks_are_deployed(state):
    missing = [stack for stack in ("edge", "core", "storage") if stack not in state.manager_view().stacks]
    expect(not missing, "stacks.missing", stacks=", ".join(missing),
           commands="; ".join(deploy_command(s) for s in missing))


def test_each_stack_holds_its_one_service(state):
    stacks = state.manager_view().stacks
    for name, (stack, *_) in LESSON.items():
        if stack in stacks:
            services = sorted(s.name for s in stacks[stack])
            expect(services == [name], "stacks.services", stack=stack, services=", ".join(services), expected=name)


def test_each_service_runs_in_the_lessons_mode(state):
    view = state.manager_view()
    for name, (_, mode, _, _) in LESSON.items():
        service = lesson_service(view, name)
        expect(service.mode == mode, "stacks.mode", service=name, mode=service.mode, expected=mode)


def test_the_gateway_runs_one_task_on_every_node(state, running, service_evidence):
    view = state.manager_view()
    lesson_service(view, "edge_gateway")
    hosts = collections.Counter(node for _, node in running.get("edge_gateway", []))
    missing = [n.hostname for n in view.eligible_nodes() if hosts[n.hostname] != 1]
    if missing:
        evidence = service_evidence("edge_gateway")
        key = "stacks.gateway_upstream" if any(UPSTREAM_FAILURE in line for line in evidence) else "stacks.gateway_tasks"
        expect(False, key, evidence, nodes=", ".join(missing))


def test_the_gateway_publishes_port_80_in_host_mode(state):
    gateway = lesson_service(state.manager_view(), "edge_gateway")
    ports = [f"{p.published}->{p.target}/{p.protocol} mode={p.mode}" for p in gateway.ports]
    expect([(p.target, p.published, p.protocol, p.mode) for p in gateway.ports] == [(80, 80, "tcp", "host")],
           "stacks.port", ports=", ".join(ports) or "none")


def test_php_fpm_wants_six_replicas(state):
    php = lesson_service(state.manager_view(), "core_php-fpm")
    expect(php.replicas == 6, "stacks.replicas", replicas=php.replicas)


def test_every_replicated_service_runs_all_its_tasks(state, running, service_evidence):
    view = state.manager_view()
    for name in ("core_php-fpm", "storage_db"):
        service = lesson_service(view, name)
        count = len(running.get(name, []))
        if count != service.replicas:
            expect(False, "stacks.running", service_evidence(name), service=name, running=count, wanted=service.replicas)


def test_php_fpm_is_spread_evenly_over_the_nodes(state, running):
    view = state.manager_view()
    php = lesson_service(view, "core_php-fpm")
    per_node = collections.Counter({n.hostname: 0 for n in view.eligible_nodes()})
    per_node.update(node for _, node in running.get("core_php-fpm", []))
    spread = ", ".join(f"{node}={count}" for node, count in sorted(per_node.items()))
    if php.constraints:
        expect(False, "stacks.pinned", spread=spread, constraints="; ".join(php.constraints))
    expect(max(per_node.values()) - min(per_node.values()) <= 1, "stacks.spread", spread=spread)


def test_the_db_is_healthy(state, running, service_evidence):
    view = state.manager_view()
    lesson_service(view, "storage_db")
    tasks = running.get("storage_db", [])
    health = "no running task"
    if tasks:
        task, node = tasks[0]
        node_view = state.nodes.get(node)
        container = node_view.container_of(task) if not isinstance(node_view, Exception) else None
        health = (container.health or "no healthcheck") if container else "container not found"
    expect(health == "healthy", "stacks.db_health", service_evidence("storage_db") if health != "healthy" else (),
           health=health)


def test_every_service_is_attached_to_lemp_overlay(state):
    view = state.manager_view()
    overlay = view.network("lemp-overlay")
    detached = [name for name in LESSON if view.service(name) and (overlay is None or overlay.id not in view.service(name).networks)]
    expect(not detached, "stacks.network", services=", ".join(detached))


def test_hostnames_follow_the_lessons_templates(state):
    view = state.manager_view()
    for name, (*_, template) in LESSON.items():
        service = lesson_service(view, name)
        expect(service.hostname == template, "stacks.hostname", service=name, actual=service.hostname, expected=template)
