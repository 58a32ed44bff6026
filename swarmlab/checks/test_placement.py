"""Stage placement (part 2): each service carries the lesson's constraint and its tasks run only where the
labels allow: the gateway once on each ingress node, php-fpm 4 tasks over the fpm nodes, the db on the
storage node.
"""

import collections

from swarmlab.checking import check, expect
from swarmlab.checking.diagnose import why_tasks_fail
from swarmlab.lesson.spec import DB, GATEWAY, PHP_FPM


def expected_nodes(facts, label: str) -> list:
    if len(facts.names) == 1:
        return list(facts.names)
    return sorted(n for n, labels in facts.part.labels.items() if labels.get(label) == "true" and n in facts.names)


@check("placement", "each_service_has_the_lessons_constraint")
def each_service_has_the_lessons_constraint(facts):
    for name in (GATEWAY, PHP_FPM, DB):
        wanted = facts.part.service(name).constraint
        service = facts.service(name)
        actual = [c.replace(" ", "") for c in service.constraints]
        expect(
            wanted.replace(" ", "") in actual,
            "placement.constraint",
            service=name,
            actual="; ".join(service.constraints) or "none",
            expected=wanted,
        )


def where(facts, name: str) -> dict:
    return {host: len(tasks) for host, tasks in facts.manager().running_on(facts.service(name)).items()}


@check("placement", "the_gateway_runs_on_the_ingress_nodes_only")
def the_gateway_runs_on_the_ingress_nodes_only(facts):
    running, wanted = where(facts, GATEWAY), expected_nodes(facts, "ingress")
    if sorted(running) != wanted or any(count != 1 for count in running.values()):
        if not set(wanted) <= set(running):
            raise why_tasks_fail(
                facts,
                GATEWAY,
                "placement.where",
                actual=", ".join(sorted(running)) or "none",
                expected=", ".join(wanted),
            )
        expect(False, "placement.where", service=GATEWAY, actual=", ".join(sorted(running)), expected=", ".join(wanted))


@check("placement", "php_fpm_runs_four_tasks_on_the_fpm_nodes")
def php_fpm_runs_four_tasks_on_the_fpm_nodes(facts):
    php = facts.service(PHP_FPM)
    expect(php.replicas == 4, "stacks.replicas", service=PHP_FPM, replicas=php.replicas, expected=4)
    running, wanted = where(facts, PHP_FPM), expected_nodes(facts, "fpm")
    shown = ", ".join(f"{n}={c}" for n, c in sorted(running.items())) or "none"
    if sum(running.values()) != 4:
        raise why_tasks_fail(facts, PHP_FPM, "placement.where", actual=shown, expected=", ".join(wanted))
    expect(set(running) == set(wanted), "placement.where", service=PHP_FPM, actual=shown, expected=", ".join(wanted))
    counts = collections.Counter(running)
    expect(max(counts.values()) - min(counts.values()) <= 1, "stacks.spread", service=PHP_FPM, spread=shown)


@check("placement", "the_db_runs_on_the_storage_node")
def the_db_runs_on_the_storage_node(facts):
    running, wanted = where(facts, DB), expected_nodes(facts, "storage")
    if not running:
        raise why_tasks_fail(facts, DB, "placement.where", actual="none", expected=", ".join(wanted))
    expect(
        sorted(running) == wanted,
        "placement.where",
        service=DB,
        actual=", ".join(sorted(running)),
        expected=", ".join(wanted),
    )
