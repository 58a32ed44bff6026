"""Stage vip: inside a gateway, `php-fpm` resolves as its endpoint mode says; `tasks.php-fpm` to the tasks.

With a VIP (the lesson's IPVS clusters) `php-fpm` is one virtual address; in
dnsrr mode (kernels without IPVS) it is every task's address. Either passes
when the names resolve as the service declares. A VIP on a kernel without IPVS
is named as such: Docker 20.10 still resolves it, newer engines do not.
"""

from swarmlab.checking import Blocked, check, expect
from swarmlab.checking.diagnose import dns_differs, listed, no_ipvs, stale_names
from swarmlab.lesson.spec import PHP_FPM


def gateway_probes(facts):
    """(node, probe) for every node whose gateway answered its probe; blocked only if none did. A gateway that
    stopped between the read and its probe (a crash loop's running moment) resolved nothing: it is not judged."""
    probes = [(name, facts.probe(name)) for name in facts.gateway_nodes()]
    answered = [(name, probe) for name, probe in probes if probe.error is None]
    if not answered:
        raise Blocked("blocked.no_gateway_on", node=", ".join(name for name, _ in probes))
    return answered


@check("vip", "php_fpm_resolves_as_its_endpoint_mode_says")
def php_fpm_resolves_as_its_endpoint_mode_says(facts):
    php, overlay = facts.service(PHP_FPM), facts.overlay()
    tasks = frozenset(facts.task_addresses(PHP_FPM))
    expected = frozenset({php.vips.get(overlay.id)}) if php.endpoint_mode == "vip" else tasks
    for node, probe in gateway_probes(facts):
        if probe.upstream != expected and dns_differs(facts):
            raise dns_differs(facts)
        if probe.upstream != expected and (missing := no_ipvs(facts, node)):
            missing.evidence.insert(0, f"getent hosts {PHP_FPM} in the gateway on {node}: {listed(probe.upstream)}")
            raise missing
        expect(
            probe.upstream == expected,
            "vip.resolves",
            node=node,
            mode=php.endpoint_mode,
            got=listed(probe.upstream),
            expected=listed(expected),
        )


@check("vip", "tasks_php_fpm_resolves_to_the_running_tasks")
def tasks_php_fpm_resolves_to_the_running_tasks(facts):
    tasks = frozenset(facts.task_addresses(PHP_FPM))
    for node, probe in gateway_probes(facts):
        if probe.upstream_tasks != tasks:
            cause = dns_differs(facts) or stale_names(facts, node, probe.upstream_tasks, tasks)
            if cause:
                raise cause
        expect(
            probe.upstream_tasks == tasks,
            "vip.tasks",
            node=node,
            got=listed(probe.upstream_tasks),
            expected=listed(tasks),
        )
