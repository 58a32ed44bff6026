"""Stage stacks (part 1): edge, core and storage run as the lesson's files describe."""

import collections

from swarmlab.checking import Blocked, check, expect
from swarmlab.checking.diagnose import db_unhealthy, why_tasks_fail
from swarmlab.lesson.spec import DB, GATEWAY, PART1, PHP_FPM, template_shows_node


def deploy_command(stack: str) -> str:
    return f"docker stack deploy -c ./{stack}.yaml --with-registry-auth {stack}"


@check("stacks", "the_three_lesson_stacks_are_deployed")
def the_three_lesson_stacks_are_deployed(facts):
    missing = [stack for stack in PART1.stacks if stack not in facts.manager().stacks]
    expect(
        not missing, "stacks.missing", stacks=", ".join(missing), commands="; ".join(deploy_command(s) for s in missing)
    )


@check("stacks", "each_stack_holds_its_one_service")
def each_stack_holds_its_one_service(facts):
    stacks = facts.manager().stacks
    if not set(PART1.stacks) & set(stacks):
        raise Blocked("blocked.service", service=", ".join(s.name for s in PART1.services))
    for wanted in PART1.services:
        if wanted.stack in stacks:
            services = sorted(s.name for s in stacks[wanted.stack])
            expect(
                services == [wanted.name],
                "stacks.services",
                stack=wanted.stack,
                services=", ".join(services),
                expected=wanted.name,
            )


@check("stacks", "each_service_runs_in_the_lessons_mode")
def each_service_runs_in_the_lessons_mode(facts):
    for wanted in PART1.services:
        service = facts.service(wanted.name)
        expect(service.mode == wanted.mode, "stacks.mode", service=wanted.name, mode=service.mode, expected=wanted.mode)


@check("stacks", "the_gateway_runs_one_task_on_every_node")
def the_gateway_runs_one_task_on_every_node(facts):
    view = facts.manager()
    gateway = facts.service(GATEWAY)
    running = view.running_on(gateway)
    missing = [n.hostname for n in view.eligible_nodes(gateway) if len(running.get(n.hostname, [])) != 1]
    if missing:
        raise why_tasks_fail(facts, GATEWAY, "stacks.gateway_tasks", nodes=", ".join(missing))


@check("stacks", "the_gateway_publishes_port_80_in_host_mode")
def the_gateway_publishes_port_80_in_host_mode(facts):
    gateway = facts.service(GATEWAY)
    expect(
        [p.astuple() for p in gateway.ports] == [(80, 80, "tcp", "host")],
        "stacks.port",
        ports=", ".join(str(p) for p in gateway.ports) or "none",
    )


@check("stacks", "php_fpm_wants_six_replicas")
def php_fpm_wants_six_replicas(facts):
    php = facts.service(PHP_FPM)
    expect(php.replicas == 6, "stacks.replicas", service=PHP_FPM, replicas=php.replicas, expected=6)


@check("stacks", "every_replicated_service_runs_all_its_tasks")
def every_replicated_service_runs_all_its_tasks(facts):
    view = facts.manager()
    for name in (PHP_FPM, DB):
        service = facts.service(name)
        count = len(view.tasks_of(service))
        if count != service.replicas:
            raise why_tasks_fail(facts, name, "stacks.running", running=count, wanted=service.replicas)


@check("stacks", "php_fpm_is_spread_evenly_over_the_nodes")
def php_fpm_is_spread_evenly_over_the_nodes(facts):
    view = facts.manager()
    php = facts.service(PHP_FPM)
    per_node = collections.Counter({n.hostname: 0 for n in view.eligible_nodes()})
    per_node.update({host: len(tasks) for host, tasks in view.running_on(php).items()})
    spread = ", ".join(f"{node}={count}" for node, count in sorted(per_node.items()))
    if php.constraints:
        expect(False, "stacks.pinned", service=PHP_FPM, spread=spread, constraints="; ".join(php.constraints))
    if max(per_node.values()) - min(per_node.values()) > 1:
        if facts.task_errors(PHP_FPM):
            raise why_tasks_fail(facts, PHP_FPM, "stacks.spread", spread=spread)
        expect(False, "stacks.spread", service=PHP_FPM, spread=spread)


@check("stacks", "the_db_is_healthy")
def the_db_is_healthy(facts):
    facts.service(DB)
    try:
        _, container = facts.db_container()
    except Blocked:
        raise db_unhealthy(facts) from None
    if container.health != "healthy":
        raise db_unhealthy(facts)


@check("stacks", "every_service_is_attached_to_lemp_overlay")
def every_service_is_attached_to_lemp_overlay(facts):
    overlay = facts.overlay()
    detached = [s.name for s in PART1.services if overlay.id not in facts.service(s.name).networks]
    expect(not detached, "stacks.network", services=", ".join(detached))


@check("stacks", "hostnames_show_the_node_that_runs_the_task")
def hostnames_show_the_node_that_runs_the_task(facts):
    for wanted in PART1.services:
        service = facts.service(wanted.name)
        expect(
            template_shows_node(service.hostname, wanted),
            "stacks.hostname",
            service=wanted.name,
            actual=service.hostname,
            expected=f"{wanted.hostname}-{{{{.Node.Hostname}}}}",
        )
