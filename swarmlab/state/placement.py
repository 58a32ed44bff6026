"""Which nodes a service's placement constraints allow, judged as swarmkit's scheduler judges them.

The checks must know where tasks *should* be (a global gateway limited to the
ingress nodes wants two tasks, not three) and why a task stays Pending (a
constraint that no node satisfies). Keys swarmkit does not know, such as
`fpm == true` written without `node.labels.`, match no node, as in swarmkit's
manager/constraint package.
"""

import re

CONSTRAINT = re.compile(r"^\s*([\w.\-]+)\s*(==|!=)\s*(.*?)\s*$")


def parse(constraint: str):
    """(key, operator, value) or None for a constraint swarmkit would refuse."""
    match = CONSTRAINT.match(constraint)
    return match.groups() if match else None


def node_value(key: str, node):
    """What a node says for a constraint key; None for a key swarmkit does not know (no node matches)."""
    lowered = key.lower()
    if lowered == "node.id":
        return node.id
    if lowered == "node.hostname":
        return node.hostname
    if lowered == "node.role":
        return node.role
    if lowered == "node.platform.os":
        return (node.raw.get("Description", {}).get("Platform", {}).get("OS") or "").lower()
    if lowered == "node.platform.arch":
        return node.architecture
    if lowered.startswith("node.labels."):
        return node.labels.get(key[len("node.labels.") :], "")
    if lowered.startswith("engine.labels."):
        return (node.raw.get("Description", {}).get("Engine", {}).get("Labels") or {}).get(
            key[len("engine.labels.") :], ""
        )
    return None


def matches(constraint: str, node) -> bool:
    parsed = parse(constraint)
    if parsed is None:
        return False
    key, op, wanted = parsed
    value = node_value(key, node)
    if value is None:
        return False
    equal = (
        str(value).lower() == wanted.lower()
        if key.lower() in ("node.role", "node.platform.os")
        else str(value) == wanted
    )
    return equal if op == "==" else not equal


def allows(constraints, node) -> bool:
    return all(matches(c, node) for c in constraints)


def known_key(constraint: str) -> bool:
    parsed = parse(constraint)
    return parsed is not None and node_value(parsed[0], _Blank()) is not None


class _Blank:
    id = hostname = role = architecture = ""
    labels: dict = {}
    raw: dict = {}
