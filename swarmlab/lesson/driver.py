"""The lesson, performed over SSH on any cluster, the lab or real VMs, and brought to the state it teaches.

`run` does the steps in order (steps.py), then converges: whatever has drifted
from the lesson (tasks left unbalanced, gateways holding php-fpm addresses no
task has) is put back and said so, the overlay is proven between every pair of
nodes, and the lesson's own checks are run (the `judge` a front end gives, so
this layer needs no checks of its own). It says "converged" only when they all
pass; otherwise it exits non-zero naming what it could not fix and the command
that would.
"""

from pathlib import Path
from typing import Callable, Optional

from .. import ui
from ..errors import StepFailed, TimedOut
from ..state import reads
from ..state.nginx import upstreams
from ..transport.cluster import Cluster
from ..transport.web import FetchFailed
from ..waiting import until
from . import spec, steps
from .context import AS_WRITTEN, Context, Options
from .steps import StepResult

# A judge runs the lesson's checks on one read of the cluster: results with stage, id, outcome, message, hint.
Judge = Callable[[reads.Reader], list]


class Lesson(Context):
    def __init__(self, cluster: Cluster, part: int = 1, level6: Optional[Path] = None, judge: Optional[Judge] = None):
        super().__init__(cluster, part, level6)
        self.judge = judge

    # -- steps -------------------------------------------------------------------------------

    def step(self, name: str, options: Options = AS_WRITTEN) -> StepResult:
        step = steps.named(name, self.part.number)
        result = StepResult(step.name)
        start = len(self.admin.ran)
        try:
            step.apply(self, result, options)
        finally:
            result.ran = self.admin.ran[start:] + result.ran
        return result

    def run(
        self,
        through: str = "seed_data",
        options: Options = AS_WRITTEN,
        on_step: Optional[Callable[[StepResult], None]] = None,
    ) -> list:
        names = [s.name for s in steps.steps_of(self.part.number)]
        if through not in names:
            raise StepFailed(f"unknown step {through!r}: use one of {', '.join(names)}")
        results = []
        for name in names[: names.index(through) + 1]:
            with ui.step(f"Lesson step {name}"):
                result = self.step(name, options)
            results.append(result)
            if on_step:
                on_step(result)
        if through == "seed_data":
            with ui.step("Converging"):
                result = self.converge()
            results.append(result)
            if on_step:
                on_step(result)
        return results

    # -- convergence --------------------------------------------------------------------------

    def wait_panel(self, timeout: float = 60) -> None:
        """A panel task that has just started needs a few seconds before it listens on 9443: give it them, so
        that the panel check judges the panel, not its start-up. One that never answers is left to that check,
        which names why."""
        published = [s.published for s in self.part.services if s.name == "portainer_portainer"]
        if not published:
            return

        def answers():
            try:
                self.cluster.page(self.manager, "/", timeout=5, scheme="https", port=published[0])
            except FetchFailed:
                return False
            return True

        try:
            until(answers, timeout=timeout, interval=2, what="the panel to answer on 9443")
        except TimedOut:
            pass

    def converge(self, timeout: float = 240) -> StepResult:
        """Put back what drifted, prove the overlay, and pass the lesson's checks, or say what is left."""
        result = StepResult("converge")
        start = len(self.admin.ran)
        self.rebalance(result)
        steps.wait_services(self, timeout)
        self.wait_panel()
        reader = self.wait_overlay(result, repair=True)
        if self.refresh_gateways(reader, result):
            reader = spec.reader(self.cluster)
        judged = self.judge(reader) if self.judge is not None else []
        failing = [r for r in judged if r.outcome not in ("passed", "not_applicable")]
        result.ran = self.admin.ran[start:]
        if failing:
            raise StepFailed(
                "the cluster does not pass the lesson's checks yet: "
                + "; ".join(f"{r.stage}/{r.id}: {r.message} → {r.hint}" for r in failing[:4])
            )
        result.summary = (
            "the overlay works between every pair of nodes and every check passes"
            if self.judge
            else "the overlay works between every pair of nodes"
        )
        result.changed = bool(result.notes)
        return result

    def rebalance(self, result: StepResult) -> None:
        """Tasks left on fewer nodes than the placement allows (after a node came back, or a constraint was
        removed) are spread again, as the lesson's 2/2/2 shows."""
        view = self.manager_view()
        for service in self.part.services:
            found = view.service(service.name)
            if found is None or found.mode != "replicated" or (found.replicas or 0) < 2:
                continue
            nodes = [n.hostname for n in view.eligible_nodes(found)]
            per_node = {n: len(view.running_on(found).get(n, [])) for n in nodes}
            if per_node and max(per_node.values()) - min(per_node.values()) > 1:
                self.admin.service_update_force(service.name)
                self.wait_rolled_out(service.name)
                result.notes.append(
                    f"spread {service.name} again: it ran " + ", ".join(f"{n}={c}" for n, c in sorted(per_node.items()))
                )

    def refresh_gateways(self, reader: reads.Reader, result: StepResult) -> bool:
        """In dnsrr mode nginx keeps the php-fpm addresses it resolved at start: a gateway holding an address
        that no task has any more gets `nginx -s reload` (the lab's gateway does this by itself). True when
        one was reloaded."""
        if self.endpoint_mode() != "dnsrr":
            return False
        view = reader.manager()
        php = view.service(spec.PHP_FPM)
        overlay = view.network(spec.NETWORK)
        if php is None or overlay is None:
            return False
        live = {t.addresses.get(overlay.id) for t in view.tasks_of(php)}
        stale = []
        for name in self.ingress_nodes():
            node = reader.node(name)
            gateway = next(iter(node.running(spec.GATEWAY)), None)
            if gateway is None:
                continue
            used = upstreams(reader.container_logs(name, gateway.id, tail=50))
            if used - live:
                stale.append(name)
        if stale:
            self.admin.reload_gateways(stale)
            result.notes.append(f"reloaded nginx on {', '.join(stale)}: it held php-fpm addresses that no task has")
        return bool(stale)
