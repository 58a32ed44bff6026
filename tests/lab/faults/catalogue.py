"""What every fault test does: inject, wait for the state, read it with the checks (recorded, held to
tests/expectations.py), and put the lab back with `swarmlab lesson run`.

What every state answered is recorded; `make recordings` keeps the recordings
in tests/recordings for the replay suite. After each fault the cluster is put
back with `swarmlab lesson run`, which itself proves it converges again.
"""

import os
from contextlib import contextmanager

from swarmlab import resources
from swarmlab.checks import run_checks
from swarmlab.lesson.spec import LESSON_DIR, reader
from swarmlab.secrets import Masker, lesson_passwords
from swarmlab.state import reads
from swarmlab.transport import inventory
from swarmlab.transport.factory import over_ssh
from swarmlab.transport.recording import Recording
from swarmlab.waiting import until

from ...conftest import swarmlab
from ...expectations import EXPECTED, assert_outcomes

RECORD = os.environ.get("SWARMLAB_RECORD")  # a folder: keep every state's recording there
DB_MOVED = "the db moved and its data stayed behind"  # what `lesson run` says when it will not seed


def on(cluster, node, command, *args):
    done = cluster.run(node, command, *args, timeout=300)
    assert done.ok, (command, done.stdout, done.stderr)
    return done.stdout


def settled(cluster, what="the services to settle", timeout=180, condition=None):
    """Until every service runs what it wants (or `condition` holds), three reads in a row."""

    def steady():
        view = reads.read_manager(cluster)
        if condition is not None:
            return condition(view)
        return all(view.converged(s) for s in view.services) and all(
            s.update_state in (None, "completed") for s in view.services
        )

    until(steady, timeout=timeout, what=what, hold=3)


def overlay_settled(cluster):
    """Until the overlay carries php-fpm between every pair of nodes: a network made fresh under a crash-looping
    edge can lose a node's join for up to a minute (moby/moby#53437, see Lesson.wait_overlay); the state
    recorded after it is the one the test names, not that race."""
    until(
        lambda: not reader(cluster).overlay_problems(), timeout=150, interval=2, what="the overlay to reach every node"
    )


def engine_of(cluster) -> str:
    version = reads.read_info(cluster, cluster.inventory.manager.name).engine or "?"
    return ".".join(version.split(".")[:2])


def checked(cluster, state: str, shows=None, timeout: float = 90):
    """The checks on the live cluster, recorded, held to the state's expectations.

    A state that comes and goes (a task restarted every few seconds runs for a moment each time) is read again
    until a read shows it, `shows(results)`, within `timeout`; that read is the one recorded and held."""
    expect = EXPECTED[state]
    masker = Masker(*lesson_passwords(resources.level6()))
    read = {}

    def one_read():
        read["recording"] = Recording(state, description=expect.why, engine=engine_of(cluster))
        read["results"] = run_checks(
            cluster.recorded(read["recording"], masker), expect.stages or None, "en", expect.part
        )
        return shows is None or shows(read["results"])

    until(one_read, timeout=timeout, interval=1, what=f"a read that shows {state}")
    recording, results = read["recording"], read["results"]
    if RECORD:
        recording.save(os.path.join(RECORD, f"{state}.{recording.engine}.json.gz"))
    assert_outcomes(results, expect)
    return results


def restore(lab, *words, run=None):
    """`lesson run` brings the cluster back to the lesson's state and says converged; `words` it must say.

    A fault that replaced the db's task (a node gone, an unhealthy db) may have let swarm start it on a node
    whose volume is empty: part 1's own flaw, which `lesson run` names and rightly refuses to paper over by
    seeding. Only then is the lab's db started afresh, and `lesson run` must converge from there.
    With SWARMLAB_RECORD, a `run` names the state this `lesson run` starts from, and everything it sent and read
    is kept in runs/ for the driver's replay tests (tests/unit/test_driver.py)."""
    recorded = []
    if RECORD and run:
        with over_ssh(inventory.load(lab.inventory_path)) as cluster:
            engine = engine_of(cluster)
        os.makedirs(os.path.join(RECORD, "runs"), exist_ok=True)
        recorded = ["--record", os.path.join(RECORD, "runs", f"{run}.{engine}.json.gz")]
    done = swarmlab("lesson", "run", "--lab", lab.name, *recorded, timeout=900)
    said = done.stdout
    if done.returncode != 0 and DB_MOVED in done.stdout + done.stderr:
        with over_ssh(inventory.load(lab.inventory_path)) as cluster:
            without_the_db(cluster)
        done = swarmlab("lesson", "run", "--lab", lab.name, timeout=900)
        said += done.stdout
    assert done.returncode == 0, done.stdout + done.stderr
    for word in words:
        assert word in said, said


@contextmanager
def undone(lab, *words, run=None):
    try:
        yield
    finally:
        restore(lab, *words, run=run)


def db_node(cluster):
    """The node where a container of the db is, if any."""
    return next(
        (
            name
            for name, node in reads.read_nodes(cluster, LESSON_DIR).items()
            if any(c.service == "storage_db" for c in node.containers)
        ),
        None,
    )


def without_the_db(cluster, *, volumes=True):
    """The storage stack removed, and with `volumes` its data on every node. In part 1 the db's volume is local to
    the node it ran on, and swarm may place a new db task on any node: after a fault that replaced the db, a fresh
    volume is the only start that does not depend on where it lands (`lesson run` refuses to seed a volume the
    data is not in, and part 2's label is what pins it)."""
    on(cluster, "manager", "docker stack rm storage")
    settled(cluster, "the db to go", condition=lambda view: db_node(cluster) is None)
    if volumes:
        for node in cluster.names:
            on(cluster, node, "docker volume rm -f storage_db_volume")
