"""Stage teardown: the lesson's stacks removed and the db volume deleted on every node that held it."""

import pytest

from swarmlab.checking import check, expect
from swarmlab.lesson.spec import DB_VOLUME

pytestmark = pytest.mark.teardown


@check("no_lesson_stack_remains")
def test_no_lesson_stack_remains(facts):
    left = sorted(set(facts.manager().stacks) & set(facts.part.stacks))
    expect(not left, "teardown.stacks", stacks=" ".join(left))


@check("no_db_volume_remains")
def test_no_db_volume_remains(facts):
    holders = [name for name in facts.names if facts.node(name).volume(DB_VOLUME) is not None]
    expect(not holders, "teardown.volume", volume=DB_VOLUME, nodes=", ".join(holders))
