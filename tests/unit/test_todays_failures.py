"""The failures students meet on today's engines and on cloned, NAT'ed or two-card VMs, each named by its cause.

The lab cannot be any of these VMs (one card per node, one clock, Debian's engines), so each state is built from
the healthy recording by changing only what that failure changes: what the nodes would have answered. The
recording stays a real cluster's answers everywhere else, so every other check still judges a real lab.
"""

import copy
import gzip
import json
from pathlib import Path
from types import SimpleNamespace

import pytest

from swarmlab.checking.diagnose import api_too_old
from swarmlab.checks import run_checks
from swarmlab.lesson.spec import reader
from swarmlab.state.models import Version
from swarmlab.transport.factory import replayed

from ..conftest import RECORDINGS

HEALTHY = RECORDINGS / "healthy.26.1.json.gz"
MANAGER, WORKER_1, WORKER_2 = "192.168.112.2", "192.168.112.3", "192.168.112.4"


@pytest.fixture(scope="module")
def healthy() -> dict:
    with gzip.open(HEALTHY, "rt", encoding="utf-8") as source:
        return json.load(source)


class Built:
    """The healthy recording, to be changed read by read: `node_read`, `manager_read` and `probes` are the
    exchanges of the NODE, MANAGER and PROBE templates."""

    def __init__(self, recording: dict):
        self.recording = copy.deepcopy(recording)

    def exchanges(self, node: str, starts: str) -> list:
        return [
            e for e in self.recording["exchanges"] if e.get("node") == node and e["command"].lstrip().startswith(starts)
        ]

    def node_read(self, node: str) -> dict:
        return self.exchanges(node, "echo '@@ clock'")[0]

    def manager_read(self) -> dict:
        return self.exchanges("manager", "echo '@@ info'")[0]

    def probe(self, node: str) -> dict:
        return self.exchanges(node, "echo '@@ binds'")[0]

    def add_section(self, exchange: dict, name: str, lines) -> None:
        exchange["stdout"] += f"@@ {name}\n" + "".join(f"{line}\n" for line in lines)

    def edit_json_lines(self, exchange: dict, section: str, edit) -> None:
        """edit(document) on each JSON line of a section (docker's `--format '{{json .}}'` output)."""
        lines, inside = [], False
        for line in exchange["stdout"].splitlines():
            if line.startswith("@@ "):
                inside = line[3:].strip() == section
            elif inside and line.startswith("{"):
                document = json.loads(line)
                edit(document)
                line = json.dumps(document)
            lines.append(line)
        exchange["stdout"] = "\n".join(lines) + "\n"

    def save(self, folder: Path) -> Path:
        path = folder / "built.json.gz"
        with gzip.open(path, "wt", encoding="utf-8") as out:
            json.dump(self.recording, out)
        return path


def interfaces(*cards) -> list:
    """`ip -j -4 addr show` of a node with lo and the given (name, address/prefix) cards."""
    found = [
        {
            "ifname": "lo",
            "flags": ["LOOPBACK", "UP"],
            "addr_info": [{"family": "inet", "local": "127.0.0.1", "prefixlen": 8}],
        }
    ]
    for name, cidr in cards:
        address, prefix = cidr.split("/")
        found.append(
            {
                "ifname": name,
                "flags": ["BROADCAST", "UP"],
                "addr_info": [{"family": "inet", "local": address, "prefixlen": int(prefix)}],
            }
        )
    return [json.dumps(found)]


def outcome(results, check_id: str):
    return next(r for r in results if r.id == check_id)


def checked(built: Built, tmp_path, stages) -> list:
    with replayed(built.save(tmp_path)) as cluster:
        return run_checks(cluster, stages, "en", 1)


def test_two_nodes_with_one_hostname_are_named_as_clones_not_as_a_stale_entry(healthy, tmp_path):
    built = Built(healthy)

    def rename(node):
        if node["Description"]["Hostname"] == "worker-2":
            node["Description"]["Hostname"] = "worker-1"

    built.edit_json_lines(built.manager_read(), "nodes", rename)
    result = outcome(checked(built, tmp_path, ("join",)), "no_node_is_listed_twice")
    assert (result.outcome, result.key) == ("failed", "diagnose.cloned")
    assert "two nodes are called worker-1" in result.message
    assert WORKER_1 in result.message and WORKER_2 in result.message
    assert "hostnamectl set-hostname" in result.hint and "docker node rm" in result.hint


def test_a_manager_with_addresses_on_two_cards_is_told_to_choose_one_with_advertise_addr(healthy, tmp_path):
    built = Built(healthy)
    built.edit_json_lines(built.manager_read(), "info", lambda info: info["Swarm"].update(LocalNodeState="inactive"))
    built.add_section(
        built.node_read("manager"), "addresses", interfaces(("eth0", f"{MANAGER}/20"), ("eth1", "10.0.2.15/24"))
    )
    result = outcome(checked(built, tmp_path, ("init",)), "swarm_is_active_on_the_manager")
    assert (result.outcome, result.key) == ("failed", "diagnose.two_cards")
    assert f"eth0 {MANAGER}, eth1 10.0.2.15" in result.message
    assert f"docker swarm init --advertise-addr {MANAGER}" in result.hint
    assert any("ip addr on manager" in line for line in result.evidence)


def test_a_manager_with_one_card_and_no_swarm_is_told_to_init(healthy, tmp_path):
    built = Built(healthy)
    built.edit_json_lines(built.manager_read(), "info", lambda info: info["Swarm"].update(LocalNodeState="inactive"))
    built.add_section(built.node_read("manager"), "addresses", interfaces(("eth0", f"{MANAGER}/20")))
    result = outcome(checked(built, tmp_path, ("init",)), "swarm_is_active_on_the_manager")
    assert (result.outcome, result.key) == ("failed", "init.swarm_inactive")


def test_an_engine_on_the_nftables_backend_is_told_swarm_mode_needs_iptables(healthy, tmp_path):
    built = Built(healthy)
    built.edit_json_lines(built.manager_read(), "info", lambda info: info["Swarm"].update(LocalNodeState="inactive"))
    built.edit_json_lines(
        built.node_read("manager"), "info", lambda info: info.update(FirewallBackend={"Driver": "nftables"})
    )
    result = outcome(checked(built, tmp_path, ("init",)), "swarm_is_active_on_the_manager")
    assert (result.outcome, result.key) == ("failed", "diagnose.nftables")
    assert "firewall-backend" in result.hint and "manager" in result.hint


def worker_2_left(healthy, tmp_path, ahead: float) -> object:
    """worker-2 not in the swarm, its clock `ahead` seconds of the manager's (worker-1's one second)."""
    built = Built(healthy)

    def leave(node):
        if node["Description"]["Hostname"] == "worker-2":
            node["Description"]["Hostname"] = "gone"

    built.edit_json_lines(built.manager_read(), "nodes", leave)
    for node, offset in (("manager", 0), ("worker-1", 1), ("worker-2", ahead)):
        built.add_section(built.node_read(node), "clock", [f"{1764088048 + offset}.5"])
    return outcome(checked(built, tmp_path, ("join",)), "every_inventory_node_is_in_the_swarm")


def test_a_worker_whose_clock_is_minutes_off_is_named_when_it_could_not_join(healthy, tmp_path):
    result = worker_2_left(healthy, tmp_path, ahead=300)
    assert (result.outcome, result.key) == ("failed", "diagnose.clock")
    assert "worker-2's clock is 300 s off manager's" in result.message
    assert "timedatectl set-ntp true" in result.hint


def test_clocks_a_second_apart_leave_a_missing_node_to_the_usual_words(healthy, tmp_path):
    result = worker_2_left(healthy, tmp_path, ahead=1)
    assert (result.outcome, result.key) == ("failed", "join.not_joined")


def test_an_overlay_subnet_that_is_a_nodes_own_network_is_named_with_the_card(healthy, tmp_path):
    built = Built(healthy)
    built.add_section(
        built.node_read("worker-1"), "addresses", interfaces(("eth0", f"{WORKER_1}/20"), ("ens4", "10.0.1.7/24"))
    )
    result = outcome(checked(built, tmp_path, ("network",)), "lemp_overlay_does_not_overlap_the_nodes_networks")
    assert (result.outcome, result.key) == ("failed", "diagnose.overlap")
    assert "10.0.1.0/24 overlaps worker-1's own network (10.0.1.7/24)" in result.message
    assert "--subnet" in result.hint


def test_an_overlay_subnet_inside_a_route_of_a_node_is_named_with_the_route(healthy, tmp_path):
    built = Built(healthy)
    built.add_section(built.node_read("worker-2"), "routes", [json.dumps([{"dst": "10.0.0.0/16", "dev": "tun0"}])])
    result = outcome(checked(built, tmp_path, ("network",)), "lemp_overlay_does_not_overlap_the_nodes_networks")
    assert (result.outcome, result.key) == ("failed", "diagnose.overlap")
    assert any("ip route on worker-2: 10.0.0.0/16 dev tun0" in line for line in result.evidence)


def test_the_lab_itself_overlaps_nothing(healthy, tmp_path):
    built = Built(healthy)
    for node, address in (("manager", MANAGER), ("worker-1", WORKER_1), ("worker-2", WORKER_2)):
        built.add_section(
            built.node_read(node), "addresses", interfaces(("eth0", f"{address}/20"), ("docker0", "172.17.0.1/16"))
        )
    result = outcome(checked(built, tmp_path, ("network",)), "lemp_overlay_does_not_overlap_the_nodes_networks")
    assert result.outcome == "passed"


def test_a_node_the_others_cannot_reach_at_its_advertised_address_is_named_before_vxlan(healthy, tmp_path):
    built = Built(healthy)
    for node in ("worker-1", "worker-2"):
        probe = built.probe(node)
        probe["stdout"] = probe["stdout"].replace(f"{MANAGER} ok ok", f"{MANAGER} fail fail")
        head, _, tail = probe["stdout"].partition("@@ pings\n")
        probe["stdout"] = head + "@@ pings\n" + tail.replace(" ok ok", " fail fail")
    results = checked(built, tmp_path, None)
    keys = {r.key for r in results if r.outcome == "failed"}
    assert "diagnose.advertise_unreachable" in keys
    unreachable = next(r for r in results if r.key == "diagnose.advertise_unreachable")
    assert f"manager advertises {MANAGER}" in unreachable.message
    assert "--advertise-addr" in unreachable.hint


def test_nodes_sharing_one_nat_address_are_named_together(healthy, tmp_path):
    built = Built(healthy)
    text = json.dumps(built.recording["exchanges"])
    for address in (MANAGER, WORKER_1, WORKER_2):
        text = text.replace(f'"Addr":"{address}"', '"Addr":"10.0.2.15"').replace(
            f'\\"Addr\\":\\"{address}\\"', '\\"Addr\\":\\"10.0.2.15\\"'
        )
    built.recording["exchanges"] = json.loads(text)
    for node in ("manager", "worker-1", "worker-2"):
        probe = built.probe(node)
        head, _, tail = probe["stdout"].partition("@@ pings\n")
        probe["stdout"] = head + "@@ pings\n" + tail.replace(" ok ok", " fail fail")
        head, _, tail = probe["command"].partition("for a in ")
        targets, _, rest = tail.partition("; do")
        probe["command"] = head + "for a in " + " ".join("10.0.2.15" for _ in targets.split()) + "; do" + rest
    results = checked(built, tmp_path, None)
    shared = [r for r in results if r.key == "diagnose.shared_address"]
    assert shared, [(r.id, r.key, r.message) for r in results if r.outcome != "passed"]
    assert "manager, worker-1, worker-2 all advertise 10.0.2.15" in shared[0].message


class PanelFacts(SimpleNamespace):
    """Just what api_too_old reads: the nodes' engines and the agent's logs."""

    def node(self, name):
        return SimpleNamespace(version=self.versions[name])

    def logs(self, service, tail):
        return self.lines


ENGINE_29 = Version({"Version": "29.0.1", "ApiVersion": "1.52", "MinAPIVersion": "1.44"})
ENGINE_28 = Version({"Version": "28.5.2", "ApiVersion": "1.51", "MinAPIVersion": "1.24"})
REFUSED = (
    "portainer_agent.0.x@worker-1 | 2026/12/02 10:00:00 [ERROR] unable to ping docker: Error response from daemon: "
    "client version 1.41 is too old. Minimum supported API version is 1.44, please upgrade your client"
)


def test_the_lessons_portainer_on_docker_29_is_told_to_upgrade_or_lower_the_engines_floor():
    facts = PanelFacts(
        names=("manager", "worker-1"), manager_name="manager", versions={"manager": ENGINE_29, "worker-1": ENGINE_29}
    )
    facts.lines = [REFUSED]
    failure = api_too_old(facts, "portainer_agent")
    assert failure is not None and failure.key == "diagnose.api_too_old"
    message, hint = failure.render("en")
    assert "portainer_agent speaks Docker API 1.41, which manager's engine 29.0.1 refuses" in message
    assert "2.33.5" in hint and '"min-api-version": "1.41"' in hint


def test_an_engine_that_accepts_the_lessons_api_reads_no_logs_for_it():
    facts = PanelFacts(names=("manager",), manager_name="manager", versions={"manager": ENGINE_28})
    facts.lines = None  # reading them would fail the test
    assert api_too_old(facts, "portainer_agent") is None


def test_a_fixed_image_typo_left_in_the_task_history_is_not_named_as_the_cause_of_todays_failure(tmp_path):
    """The rejected tasks of a typo since rolled back stay in `docker service ps` (five per slot): php-fpm packed on
    one node is still told to spread, not to fetch an image the service no longer asks for."""
    with gzip.open(RECORDINGS / "php-unbalanced.26.1.json.gz", "rt", encoding="utf-8") as source:
        built = Built(json.load(source))
    read = built.manager_read()
    php_id = []

    def note_php(service):
        if service["Spec"]["Name"] == "core_php-fpm":
            php_id.append(service["ID"])

    built.edit_json_lines(read, "services", note_php)
    aged = []

    def typo(task):
        if task["ServiceID"] == php_id[0] and task["DesiredState"] != "running" and not aged:
            aged.append(task["ID"])
            task["Spec"]["ContainerSpec"]["Image"] = "swarmlab/php-fpm:missing"
            task["UpdatedAt"] = "2999-01-01T00:00:00Z"
            task["Status"].update(
                State="rejected", Err="No such image: swarmlab/php-fpm:missing", Timestamp=task["UpdatedAt"]
            )

    built.edit_json_lines(read, "tasks", typo)
    assert aged, "the recording keeps no earlier php-fpm task to age"
    result = outcome(checked(built, tmp_path, ("stacks",)), "php_fpm_is_spread_evenly_over_the_nodes")
    assert (result.outcome, result.key) == ("failed", "stacks.spread")


def without_its_overlay_address(healthy) -> tuple:
    """A php-fpm task on worker-1 that runs without its lemp-overlay address, as the homework's redeploy on one
    node left one now and then: the manager gave the task its address, the engine never attached the container,
    so neither DNS nor a ping finds it. Returns the built state, the container and the address."""
    built = Built(healthy)
    read = built.node_read("worker-1")
    found = {}

    def detach(container):
        networks = container["NetworkSettings"]["Networks"]
        if not found and container["Name"].startswith("/core_php-fpm.") and "lemp-overlay" in networks:
            found["name"], found["address"] = container["Name"][1:], networks["lemp-overlay"]["IPAddress"]
            networks["lemp-overlay"]["IPAddress"] = ""

    built.edit_json_lines(read, "containers", detach)
    address = found["address"]
    for node in ("manager", "worker-1", "worker-2"):
        probe = built.probe(node)
        lines = probe["stdout"].splitlines()
        kept = [line for line in lines if not line.startswith(f"{address} ") or line == f"{address} ok ok"]
        probe["stdout"] = "\n".join(kept).replace(f"{address} ok ok", f"{address} fail fail") + "\n"
    return built, found["name"], address


def test_a_task_running_without_its_overlay_address_is_named_with_the_task_and_the_fix(healthy, tmp_path):
    built, container, address = without_its_overlay_address(healthy)
    results = checked(built, tmp_path, None)
    failed = {r.id: r for r in results if r.outcome == "failed"}
    assert "tasks_php_fpm_resolves_to_the_running_tasks" in failed, [(r.id, r.outcome) for r in results]
    for result in failed.values():
        assert result.key == "diagnose.unattached", (result.id, result.key, result.message)
    result = failed["tasks_php_fpm_resolves_to_the_running_tasks"]
    assert f"{container} runs on worker-1 without its address on lemp-overlay ({address})" in result.message
    assert "docker service update --force core_php-fpm" in result.hint
    assert any(f'docker inspect {container} on worker-1: lemp-overlay IPAddress ""' in e for e in result.evidence)


def test_the_drivers_overlay_wait_names_the_unattached_task_and_not_the_nodes(healthy, tmp_path):
    built, container, address = without_its_overlay_address(healthy)
    with replayed(built.save(tmp_path)) as cluster:
        problems = reader(cluster).overlay_problems()
    assert any(f"{container} runs on worker-1 without its address on lemp-overlay ({address})" in p for p in problems)
    assert any("docker service update --force core_php-fpm" in p for p in problems)


def with_silent_names(healthy) -> Built:
    """Seen once after the homework's redeploy on one node: every task had its address and the gateway's DNS
    answered nothing for `tasks.php-fpm`, here on worker-1."""
    built = Built(healthy)
    probe = built.probe("worker-1")
    head, _, rest = probe["stdout"].partition("@@ tasks.php-fpm\n")
    probe["stdout"] = head + "@@ tasks.php-fpm\n@@ pings\n" + rest.partition("@@ pings\n")[2]
    return built


def test_names_gone_stale_with_every_task_attached_are_named_with_the_nodes_networkdb_and_the_fix(healthy, tmp_path):
    results = checked(with_silent_names(healthy), tmp_path, None)
    failed = {r.id: r for r in results if r.outcome != "passed"}
    assert set(failed) == {"tasks_php_fpm_resolves_to_the_running_tasks"}, [(r.id, r.key) for r in failed.values()]
    result = failed["tasks_php_fpm_resolves_to_the_running_tasks"]
    assert result.key == "diagnose.stale_names"
    assert "on worker-1, tasks.php-fpm resolves to 0 addresses for the 6 running tasks" in result.message
    assert "worker-1's NetworkDB lists 6 of them" in result.message
    assert "docker service update --force core_php-fpm" in result.hint
    assert result.evidence[0] == "getent ahostsv4 tasks.php-fpm in the gateway on worker-1: nothing"
    assert result.evidence[1].startswith("docker network inspect -v lemp-overlay on worker-1: core_php-fpm Tasks 10.")


def test_the_drivers_overlay_wait_says_whether_a_silent_dns_knows_the_tasks_it_does_not_answer(healthy, tmp_path):
    """The node's own NetworkDB listing tells a DNS that does not answer what the node knows from a node that
    never learnt the tasks."""
    built = with_silent_names(healthy)
    with replayed(built.save(tmp_path)) as cluster:
        problems = reader(cluster).overlay_problems()
    assert problems == [
        "worker-1 resolves tasks.php-fpm to 0 addresses for 6 tasks "
        "(`docker network inspect -v lemp-overlay` there lists 6 of them)"
    ]


def test_a_failing_tasks_lines_come_from_its_container_when_the_manager_cannot_stream_them(tmp_path):
    """Under load the manager may not reach the task's node for `docker service logs TASK` ("some logs could
    not be retrieved"); the exited container, kept with the task's history, holds the same lines on the node."""
    built = Built(json.loads(gzip.open(RECORDINGS / "gateway-exits.28.5.json.gz", "rt", encoding="utf-8").read()))
    asked = next(e for e in built.recording["exchanges"] if "docker service logs --raw" in e.get("command", ""))
    task_id = asked["command"].split()[-2]
    said = asked["stdout"]
    asked["stdout"] = (
        "error from daemon in stream: Error grabbing logs: rpc error: code = Unknown desc = warning: incomplete log "
        "stream. some logs could not be retrieved for the following reasons: node ffc68tvxjft9b6wwr143ku3gx is "
        "not available\n"
    )
    tasks = built.manager_read()["stdout"].split("@@ tasks\n", 1)[1].split("@@ ", 1)[0]
    task = next(json.loads(line) for line in tasks.splitlines() if line.startswith("{") and task_id in line)
    container = task["Status"]["ContainerStatus"]["ContainerID"]
    host = "worker-2"
    built.recording["exchanges"].append(
        {
            "node": host,
            "command": f"timeout 15 docker logs --tail 20 {container} 2>&1",
            "exit": 0,
            "stdout": said,
            "stderr": "",
        }
    )
    results = checked(built, tmp_path, ("stacks",))
    failed = next(r for r in results if r.key == "diagnose.task_exits")
    assert f"docker logs {container[:12]} on {host}: " in failed.evidence[-1]
    assert 'unknown directive "lisen"' in failed.evidence[-1]


def test_a_gateway_the_node_saw_running_in_its_restart_loop_blocks_its_page_instead_of_failing_it(tmp_path):
    """worker-2's gateway restarts every 5 s and runs for a moment each time: the node's read can catch that
    moment while the manager's does not, and the page then finds nothing on port 80. The page is not the cause;
    the gateway check names it."""
    built = Built(json.loads(gzip.open(RECORDINGS / "gateway-exits.28.5.json.gz", "rt", encoding="utf-8").read()))

    def starting(container):
        if container["Name"].startswith("/edge_gateway.") and container["State"]["Status"] == "created":
            container["State"]["Status"] = "running"

    built.edit_json_lines(built.node_read("worker-2"), "containers", starting)
    built.recording["exchanges"].append({"web": "worker-2", "path": "/", "error": "refused"})
    results = checked(built, tmp_path, ("stacks", "pages"))
    page = outcome(results, "every_node_answers_200_with_the_posts_table")
    assert (page.outcome, page.key) == ("blocked", "blocked.no_gateway_on"), page.message
    assert "worker-2" in page.message
    assert outcome(results, "the_gateway_runs_one_task_on_every_node").key == "diagnose.task_exits"
