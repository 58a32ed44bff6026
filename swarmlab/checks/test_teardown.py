"""Stage teardown: the lesson's stacks removed and the db volume deleted on every node that held it."""

from swarmlab.checking import check, expect
from swarmlab.lesson.spec import DB_VOLUME


@check("teardown", "no_lesson_stack_remains")
def no_lesson_stack_remains(facts):
    left = sorted(set(facts.manager().stacks) & set(facts.part.stacks))
    expect(not left, "teardown.stacks", stacks=" ".join(left))


@check("teardown", "no_db_volume_remains")
def no_db_volume_remains(facts):
    holders = [name for name in facts.names if facts.node(name).volume(DB_VOLUME) is not None]
    expect(not holders, "teardown.volume", volume=DB_VOLUME, nodes=", ".join(holders))
