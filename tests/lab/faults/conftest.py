"""The fixtures every fault test starts from: a converged lab, and for the faults that take a worker away, the db
on the manager."""

import pytest

from swarmlab.lesson.context import Options
from swarmlab.lesson.driver import Lesson

from .catalogue import db_node, on, restore, settled, without_the_db


@pytest.fixture(autouse=True)
def converged(lesson_run):
    return lesson_run


@pytest.fixture
def db_on_the_manager(lab, cluster):
    """A fault that takes a worker away moves the tasks it ran, and part 1's db among them would start on an
    empty volume elsewhere: a true failure, named by its own diagnosis (db_moved), but not the one these tests
    are about, and where the db lands is the scheduler's choice. So they start with the db on the manager: if it
    is elsewhere, it is deployed afresh while the workers are paused, and `lesson run` seeds it."""
    manager = cluster.inventory.manager.name
    if db_node(cluster) == manager:
        return
    without_the_db(cluster)
    workers = [name for name in cluster.names if name != manager]
    try:
        for worker in workers:
            on(cluster, manager, "docker node update --availability pause %s", worker)
        Lesson(cluster).step("deploy", Options(stacks=("storage",)))
        settled(cluster, "the db to start on the manager", condition=lambda view: db_node(cluster) == manager)
    finally:
        for worker in workers:
            on(cluster, manager, "docker node update --availability active %s", worker)
    restore(lab, "requested")
