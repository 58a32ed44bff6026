"""The write templates: the few changes the panel makes on the Services tab, as Portainer makes them there.

They are templates of the read side's kind (typed holes, quoted by the transport, matched back from any text),
kept apart from its READS so that nothing holding a ReadOnlyNode can reach them: the checks, the dashboard and
the grader import the read side, never this module (the import contracts in pyproject.toml pin that), and the
lab's agents run one of these only for a request the panel signed for a logged-in session. Adding a write
means adding a template here, where it is reviewed as a change to a student's cluster.
"""

from typing import Optional

from ..state.templates import NAME, Hole, Template, matched

# Portainer's field takes any number; the lab's three small nodes take a hundred tasks of a service at most.
REPLICAS = Hole("a number of replicas from 0 to 100", r"(?:100|[1-9]?[0-9])")
# A reference as `docker image ls` names it: [registry[:port]/]repository[/…][:tag], no digest (nothing is pulled).
IMAGE = Hole(
    "an image's repository:tag",
    r"(?=.{1,255}$)(?:[A-Za-z0-9.-]+(?::[0-9]{1,5})?/)?[a-z0-9]+(?:[._-][a-z0-9]+)*(?:/[a-z0-9]+(?:[._-][a-z0-9]+)*)*"
    r"(?::[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?",
)

SCALE = Template("scale", "docker service scale --detach %s=%s", (NAME, REPLICAS), limit=64 * 1024, timeout=60)
# --force replaces the tasks even when the image is the one they run (Portainer's update is a rolling restart
# then); --no-resolve-image: the nodes' own copy is used, as there is no registry to ask for its digest.
UPDATE_IMAGE = Template(
    "update-image",
    "docker service update --detach --quiet --force --no-resolve-image --image %s %s",
    (IMAGE, NAME),
    limit=64 * 1024,
    timeout=60,
)
REMOVE = Template("service-rm", "docker service rm %s", (NAME,), limit=64 * 1024, timeout=60)

WRITES = {t.id: t for t in (SCALE, UPDATE_IMAGE, REMOVE)}


def matched_write(command: str) -> Optional[tuple]:
    """(template, values) of the write that renders exactly `command`, or None for anything else."""
    return matched(command, WRITES)
