"""Typed views of what a node's engine says, read in one round trip per node.

Everything is read with `--format '{{json .}}'` and parsed here; nothing in
swarmlab scrapes the column-aligned tables that the lesson shows students.
"""

import json
from dataclasses import dataclass
from typing import Optional

# /proc/net/ip_vs appears only once the module is loaded (Ubuntu loads it on demand),
# so a loadable module or a kernel config that has it counts as present too.
IPVS_PROBE = ("{ [ -e /proc/net/ip_vs ] || [ -d /proc/sys/net/ipv4/vs ] || modinfo ip_vs >/dev/null 2>&1 "
              "|| grep -qs '^CONFIG_IP_VS=[ym]' /boot/config-$(uname -r); } && echo ipvs=yes || echo ipvs=no")

NODE_PROBE = ("docker info --format '{{json .}}' 2>/dev/null || echo '{\"error\": \"no docker\"}'; "
              + IPVS_PROBE)


@dataclass(frozen=True)
class NodeFacts:
    """What one node's engine says of itself (engine None: docker missing or not answering)."""

    engine: Optional[str]
    swarm: Optional[str]
    node_id: Optional[str]
    is_manager: bool
    ipvs: bool
    error: Optional[str] = None


def parse_node_probe(text: str) -> NodeFacts:
    lines = text.strip().splitlines()
    ipvs = bool(lines) and lines[-1].strip() == "ipvs=yes"
    try:
        info = json.loads(lines[0]) if lines else {}
    except json.JSONDecodeError:
        info = {"error": lines[0][:200] if lines else "no output"}
    if not info.get("ServerVersion"):
        return NodeFacts(None, None, None, False, ipvs, info.get("error") or "docker did not answer")
    swarm = info.get("Swarm") or {}
    return NodeFacts(
        engine=info["ServerVersion"],
        swarm=swarm.get("LocalNodeState") or "inactive",
        node_id=swarm.get("NodeID") or None,
        is_manager=bool(swarm.get("ControlAvailable")),
        ipvs=ipvs,
    )


def probe_node(cluster, name: str) -> NodeFacts:
    return parse_node_probe(cluster.run(name, NODE_PROBE, timeout=30).stdout)
