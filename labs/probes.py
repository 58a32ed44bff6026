"""Live probes of the lesson's network, from inside the gateway containers, one batched shell per node.

They answer what state alone cannot: does `php-fpm` resolve as the endpoint
mode says, and do packets cross nodes. Every probe is bounded by `timeout`
and only reads (name lookups and pings).
"""

import re
import shlex
from dataclasses import dataclass
from typing import Optional

IPV4 = re.compile(r"\b(\d{1,3}(?:\.\d{1,3}){3})\b")
DNS_SERVER = "127.0.0.11"


@dataclass(frozen=True)
class NodeProbe:
    node: str
    gateway: Optional[str]
    php_fpm: frozenset
    tasks_php_fpm: frozenset
    ping_target: Optional[str]
    ping_ok: Optional[bool]


def _lookup(name: str) -> str:
    return f"getent ahostsv4 {name} 2>/dev/null || nslookup {name} 2>/dev/null || true"


def script(container: str, ping_target: Optional[str]) -> str:
    """One `docker exec` per node: name lookups (getent on Debian, nslookup on Alpine) and a ping."""
    inner = [f"echo '@@ php-fpm'; {_lookup('php-fpm')}", f"echo '@@ tasks.php-fpm'; {_lookup('tasks.php-fpm')}"]
    if ping_target:
        inner.append(f"echo '@@ ping'; ping -c 1 -W 2 {ping_target} >/dev/null 2>&1 && echo ok || echo fail")
    return f"timeout 20 docker exec {shlex.quote(container)} sh -c {shlex.quote('; '.join(inner))}"


def addresses(lines) -> frozenset:
    found = set()
    for line in lines:
        if "#53" in line or line.lower().startswith("server"):
            continue
        found.update(ip for ip in IPV4.findall(line) if ip != DNS_SERVER)
    return frozenset(found)


def parse(node: str, gateway: str, ping_target: Optional[str], text: str) -> NodeProbe:
    from .swarm import sections

    part = sections(text)
    ping = part.get("ping")
    return NodeProbe(node, gateway, addresses(part.get("php-fpm", [])), addresses(part.get("tasks.php-fpm", [])),
                     ping_target, None if ping is None else ping[-1].strip() == "ok")
