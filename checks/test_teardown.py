"""Stage teardown: `docker stack rm edge core storage && docker volume rm storage_db_volume` was done."""

import pytest

from labs.checking import expect

pytestmark = pytest.mark.teardown


def test_no_lesson_stack_remains(state):
    left = sorted(set(state.manager_view().stacks) & {"edge", "core", "storage"})
    expect(not left, "teardown.stacks", stacks=" ".join(left))


def test_no_db_volume_remains(state):
    holders = [name for name in state.inventory.names if "storage_db_volume" in state.node_view(name).volumes]
    expect(not holders, "teardown.volume", nodes=", ".join(holders))
