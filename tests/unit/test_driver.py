"""`swarmlab lesson run` from the states the fault catalogue leaves, replayed: the driver's and the steps' decisions
in seconds, with no lab.

Each recording in tests/recordings/runs is a real `lesson run` on the lab, made by the fault tests (`make
recordings`): every command it sent, writes included, and every answer. Replayed, the driver must take the same
decisions: a command the recording does not hold is refused (ReplayMiss), so a changed decision fails here, and
every write recorded must be sent again, in the same order.
"""

import pytest

from swarmlab import checks, waiting
from swarmlab.lab import DEFAULT_ENGINE
from swarmlab.lesson.driver import Lesson
from swarmlab.secrets import shaped
from swarmlab.state.templates import matched
from swarmlab.transport.factory import replayed
from swarmlab.transport.recording import CommandLog, Recording

from ..conftest import RECORDINGS

RUNS = sorted((RECORDINGS / "runs").glob("*.json.gz"))


@pytest.fixture(autouse=True)
def at_once(monkeypatch):
    """A recorded cluster answers at once: every poll is asked in its recorded turn without the wait between."""
    monkeypatch.setattr(waiting, "PACE", 0)


def writes(commands) -> list:
    """(node, command) of everything that is not one of the read side's templates, in order, with the secrets
    masked as the recording keeps them (the agents' secret is drawn afresh on every run)."""
    return [(node, shaped(command)) for node, command in commands if matched(command) is None]


def run_from(state: str):
    """The replayed `lesson run` from `state` on the default engine: (its step results, what it said, the commands
    it sent)."""
    return run_of(RECORDINGS / "runs" / f"{state}.{DEFAULT_ENGINE}.json.gz")


def run_of(path):
    sent = []
    with replayed(path) as cluster:
        logged = cluster.wrapped(lambda node: CommandLog(node, lambda name, command: sent.append((name, command))))
        results = Lesson(logged, judge=checks.judge(1, "en")).run()
    said = "\n".join(line for r in results for line in (r.summary, *r.notes))
    return results, said, sent


@pytest.mark.parametrize("path", RUNS, ids=lambda p: p.name.removesuffix(".json.gz"))
def test_a_replayed_run_sends_every_recorded_write_again_in_the_same_order(path):
    recorded = [(e["node"], e["command"]) for e in Recording.load(path).commands()]
    _, _, sent = run_of(path)
    assert writes(sent) == writes(recorded)


def changed(results) -> list:
    return [r.step for r in results if r.changed]


def test_a_drained_worker_is_made_active_again_and_php_fpm_spread_back_onto_it():
    results, said, sent = run_from("drained-worker")
    assert "made worker-1 active again" in said
    assert "spread core_php-fpm again: it ran manager=3, worker-1=0, worker-2=3" in said
    assert ("manager", "docker node update --availability active worker-1") in writes(sent)
    assert changed(results) == ["join", "converge"]


def test_php_fpm_left_on_one_node_is_spread_again_by_one_forced_update():
    results, said, sent = run_from("php-unbalanced")
    assert "spread core_php-fpm again: it ran manager=6, worker-1=0, worker-2=0" in said
    updates = [c for _, c in writes(sent) if "service update" in c]
    assert updates == ["docker service update --force --quiet --detach core_php-fpm"]
    assert changed(results) == ["converge"]


def test_a_php_fpm_task_without_its_overlay_address_is_replaced_once_and_named():
    results, said, sent = run_from("php-unattached")
    assert "replaced core_php-fpm's tasks: core_php-fpm." in said
    assert "on worker-1 ran without its address on lemp-overlay" in said
    updates = [c for _, c in writes(sent) if "service update" in c]
    assert updates == ["docker service update --force --quiet --detach core_php-fpm"]
    assert changed(results) == ["converge"]


def test_the_storage_stack_removed_with_its_volumes_is_deployed_and_seeded_once():
    results, said, _ = run_from("storage-missing")
    assert "deployed storage" in said and "requested http://manager/init.php once" in said
    assert changed(results) == ["deploy", "seed_data"]


def test_stacks_in_place_are_deployed_again_in_place_storage_first_and_said_unchanged():
    results, said, sent = run_from("php-unbalanced")
    deployed = [c.rsplit(" ", 1)[-1] for _, c in writes(sent) if "docker stack deploy" in c]
    assert deployed == ["storage", "core", "edge"]
    assert "storage, core, edge already deployed (updated in place)" in said
    assert "deploy" not in changed(results)
