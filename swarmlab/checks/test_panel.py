"""Stage panel (part 2): the portainer stack: an agent on every node, the panel on a manager, HTTPS on 9443."""

from swarmlab.checking import CheckFailure, check, expect
from swarmlab.checking.diagnose import api_too_old, why_tasks_fail
from swarmlab.transport.web import FetchFailed

AGENT, PANEL = "portainer_agent", "portainer_portainer"


def panel_stack(facts):
    expect("portainer" in facts.manager().stacks, "panel.missing")


@check("panel", "the_panel_stack_runs_an_agent_on_every_node")
def the_panel_stack_runs_an_agent_on_every_node(facts):
    panel_stack(facts)
    view = facts.manager()
    agent = facts.service(AGENT)
    running = view.running_on(agent)
    missing = [n.hostname for n in view.eligible_nodes(agent) if n.hostname not in running]
    refused = api_too_old(facts, AGENT) or api_too_old(facts, PANEL)
    if refused is not None:
        raise refused
    if missing:
        raise why_tasks_fail(facts, AGENT, "panel.agents", nodes=", ".join(missing))


@check("panel", "the_panel_runs_on_a_manager")
def the_panel_runs_on_a_manager(facts):
    panel_stack(facts)
    view = facts.manager()
    running = view.running_on(facts.service(PANEL))
    if not running:
        raise why_tasks_fail(facts, PANEL, "stacks.running", running=0, wanted=1)
    managers = {n.hostname for n in view.nodes if n.role == "manager"}
    expect(set(running) <= managers, "panel.manager", nodes=", ".join(sorted(running)))


@check("panel", "the_panel_answers_https_on_9443")
def the_panel_answers_https_on_9443(facts):
    panel_stack(facts)
    facts.running(PANEL)
    name = facts.manager_name
    answer = facts.reader.fetch(name, "/", scheme="https", port=9443)
    if isinstance(answer, FetchFailed):
        ports = [p for p in facts.service(PANEL).ports if p.published == 9443]
        if any(p.mode == "ingress" for p in ports) and not facts.node(name).info.ipvs:
            raise CheckFailure(
                "panel.ingress_no_ipvs",
                [
                    f"docker service inspect {PANEL}: " + ", ".join(str(p) for p in ports),
                    f"{name}: no IPVS in the kernel",
                ],
                node=name,
                problem=answer.kind,
            )
    expect(not isinstance(answer, FetchFailed), "panel.https", node=name, problem=getattr(answer, "kind", ""))
    expect(answer.status < 500, "panel.https", node=name, problem=f"HTTP {answer.status}")
