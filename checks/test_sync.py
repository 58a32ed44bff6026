"""Stage sync: level6 was copied to /opt/docker-lessons/level6 on every node, unchanged."""

import pytest

from labs.checking import CheckFailure, expect

pytestmark = pytest.mark.sync


def test_level6_is_on_every_node(state):
    missing = []
    for name in state.inventory.names:
        try:
            view = state.node_view(name)
        except CheckFailure:
            raise CheckFailure("sync.unreachable", node=name, reason=str(state.nodes[name])) from None
        if not view.level6:
            missing.append(name)
    expect(not missing, "sync.missing", nodes=", ".join(missing))


def test_level6_on_every_node_is_identical_to_the_projects(state, level6_digests):
    for name in state.inventory.names:
        copy = state.node_view(name).level6
        expect(copy, "sync.missing", nodes=name)
        differ = sorted(p for p in set(copy) | set(level6_digests) if copy.get(p) != level6_digests.get(p))
        expect(not differ, "sync.differs", node=name, files=", ".join(differ[:5]) + (" …" if len(differ) > 5 else ""))
