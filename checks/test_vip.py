"""Stage vip: inside a gateway, `php-fpm` resolves as the endpoint mode says; `tasks.php-fpm` to the tasks."""

import pytest

from labs.checking import expect

pytestmark = pytest.mark.vip


def php_fpm_addresses(state, running):
    view = state.manager_view()
    overlay = view.network("lemp-overlay")
    php = view.service("core_php-fpm")
    tasks = frozenset(t.addresses.get(overlay.id) for t, _ in running.get("core_php-fpm", []) if t.addresses.get(overlay.id))
    return php, overlay, tasks


def gateway_probes(state, probe_results):
    for spec in state.inventory.nodes:
        probe = probe_results.get(spec.name)
        expect(probe is not None, "vip.no_gateway", node=spec.name)
        if isinstance(probe, Exception):
            raise probe
        yield spec.name, probe


def test_php_fpm_resolves_as_its_endpoint_mode_says(state, running, probe_results):
    php, overlay, tasks = php_fpm_addresses(state, running)
    expected = frozenset({php.vips.get(overlay.id)}) if php.endpoint_mode == "vip" else tasks
    for node, probe in gateway_probes(state, probe_results):
        expect(probe.php_fpm == expected, "vip.resolves", node=node, mode=php.endpoint_mode,
               got=", ".join(sorted(probe.php_fpm)) or "nothing", expected=", ".join(sorted(expected)))


def test_tasks_php_fpm_resolves_to_the_running_tasks(state, running, probe_results):
    _, _, tasks = php_fpm_addresses(state, running)
    for node, probe in gateway_probes(state, probe_results):
        expect(probe.tasks_php_fpm == tasks, "vip.tasks", node=node,
               got=", ".join(sorted(probe.tasks_php_fpm)) or "nothing", expected=", ".join(sorted(tasks)))
