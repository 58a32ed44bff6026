"""Stage connectivity: the lesson's cross-node ping, from each gateway to php-fpm on another node."""

import pytest

from labs.checking import expect

pytestmark = pytest.mark.connectivity


def test_each_gateway_pings_php_fpm_on_another_node(state, running, probe_results):
    view = state.manager_view()
    overlay = view.network("lemp-overlay")
    where = {t.addresses.get(overlay.id): node for t, node in running.get("core_php-fpm", [])}
    for spec in state.inventory.nodes:
        probe = probe_results.get(spec.name)
        expect(probe is not None and not isinstance(probe, Exception), "vip.no_gateway", node=spec.name)
        if probe.ping_target is None:
            continue  # php-fpm runs on no other node: a single-node cluster has nothing to cross
        expect(probe.ping_ok, "connectivity.ping", node=spec.name, target=probe.ping_target,
               other=where.get(probe.ping_target, "?"))
