"""Stage sync: the lesson's folder is on every node, at the same path, the same everywhere.

The path is the lesson's (/opt/docker-lessons/level6) or, once stacks are
deployed, wherever their bind mounts point: the compose file names a path on
the manager, and every node mounts it from its own disk.
"""

from swarmlab.checking import check, expect
from swarmlab.lesson.spec import LESSON_DIR


def mounted_elsewhere(facts) -> bool:
    """The deployed stacks mount their files from outside the lesson's folder (a variant the lesson allows)."""
    try:
        sources = [m.source for s in facts.manager().services if s.stack for m in s.mounts if m.type == "bind"]
    except Exception:
        return False
    return bool(sources) and not all(p.startswith(LESSON_DIR + "/") for p in sources)


@check("sync", "level6_is_on_every_node")
def level6_is_on_every_node(facts):
    if mounted_elsewhere(facts):
        missing = sorted({f"{name}: {path}" for name in facts.names for path in facts.probe(name).missing_sources})
        expect(not missing, "sync.missing", path="(bind sources)", nodes="; ".join(missing))
        return
    missing = [name for name in facts.names if not facts.node(name).level6]
    expect(not missing, "sync.missing", path=LESSON_DIR, nodes=", ".join(missing))


@check("sync", "level6_is_the_same_on_every_node")
def level6_is_the_same_on_every_node(facts):
    copies = {name: facts.node(name).level6 for name in facts.names}
    copies = {name: files for name, files in copies.items() if files}
    if not copies:
        expect(False, "sync.missing", path=LESSON_DIR, nodes=", ".join(facts.names))
    reference = facts.manager_name if facts.manager_name in copies else next(iter(copies))
    for name, files in copies.items():
        theirs = copies[reference]
        differ = sorted(p for p in set(files) | set(theirs) if files.get(p) != theirs.get(p))
        expect(
            not differ,
            "sync.differs",
            node=name,
            reference=reference,
            files=", ".join(differ[:5]) + (" …" if len(differ) > 5 else ""),
        )
