"""The read side's allowlist: every command a Reader, the grader and the panel's agents may send to a node.

A template is one command exactly as written here, with typed holes that the transport quotes: a count, a docker
object's name or id, an IPv4 address, an absolute path, a DNS name, or a list of them. A Reader can send nothing
else (ReadOnlyNode takes a template and its values, never text), the panel's agents render and run only these,
and any command text can be matched back to the template that made it (the recorder's proof that the checks only
read). Each template also caps its answer, in bytes and seconds. Adding a read means adding a template here,
where it is reviewed as a read.
"""

import ipaddress
import re
import shlex
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from ..errors import WriteRefused

QUOTED = r"(?:[\w@%+=:,./-]+|'(?:[^']|'\"'\"')*')"  # one value as shlex.quote writes it


@dataclass(frozen=True)
class Hole:
    """What one value may be; a hole that takes `many` values writes them as words separated by spaces."""

    what: str
    pattern: str
    many: bool = False
    ip: bool = False

    def valid(self, value) -> bool:
        if not isinstance(value, (str, int)) or isinstance(value, bool):
            return False
        text = str(value)
        if not re.fullmatch(self.pattern, text):
            return False
        if self.ip:
            try:
                ipaddress.IPv4Address(text)
            except ValueError:
                return False
        return True

    def written(self, value) -> str:
        values = list(value) if self.many else [value]
        if self.many and not isinstance(value, (list, tuple)):
            raise WriteRefused(f"refused: {value!r} is not a list of {self.what}")
        for one in values:
            if not self.valid(one):
                raise WriteRefused(f"refused: {str(one)[:60]!r} is not {self.what}")
        return " ".join(shlex.quote(str(one)) for one in values)

    @property
    def regex(self) -> str:
        return f"((?:{QUOTED}(?: {QUOTED})*)?)" if self.many else f"({QUOTED})"


COUNT = Hole("a count", r"\d{1,6}")
NAME = Hole("a docker object's name", r"[A-Za-z0-9][A-Za-z0-9_.-]{0,127}")
ID = Hole("a docker object's id", r"[a-z0-9]{10,64}")
MAYBE_ID = Hole("a docker object's id, or nothing", r"(?:[a-z0-9]{10,64})?")
IPV4 = Hole("an IPv4 address", r"\d{1,3}(?:\.\d{1,3}){3}", ip=True)
IPV4S = Hole("IPv4 addresses", IPV4.pattern, many=True, ip=True)
PATH = Hole("an absolute path", r"/[^\x00\n]{0,4095}")
PATHS = Hole("absolute paths", PATH.pattern, many=True)
FILE_NAME = Hole("a file's name", r"[A-Za-z0-9_@$][A-Za-z0-9_@$.-]{0,127}")
DNS_NAME = Hole("a DNS name", r"[a-z0-9](?:[a-z0-9.-]{0,251}[a-z0-9])?")


@dataclass(frozen=True)
class Template:
    id: str
    text: str  # %s for each hole, %% for a literal %
    holes: tuple = ()
    limit: int = 8 * 1024 * 1024  # bytes the answer may hold
    timeout: float = 60.0  # seconds the answer may take
    cli: Optional["Template"] = None  # the same read asked of the docker CLI alone (api_or)

    def render(self, *values) -> str:
        if len(values) != len(self.holes):
            raise WriteRefused(f"refused: the read {self.id} takes {len(self.holes)} values, not {len(values)}")
        return self.text % tuple(hole.written(value) for hole, value in zip(self.holes, values))

    def match(self, command: str) -> Optional[tuple]:
        """The values that render exactly `command` with this template, or None."""
        found = self._pattern().fullmatch(command)
        if found is None:
            return None
        values = []
        for hole, text in zip(self.holes, found.groups()):
            words = shlex.split(text) if text else []
            value = tuple(words) if hole.many else (words[0] if words else "")
            values.append(value)
        try:
            return tuple(values) if self.render(*values) == command else None
        except WriteRefused:
            return None

    def _pattern(self):
        holes, regex = iter(self.holes), ""
        for token in re.split(r"(%%|%s)", self.text):
            regex += next(holes).regex if token == "%s" else re.escape("%" if token == "%%" else token)
        return re.compile(regex, re.S)


# /proc/net/ip_vs appears only once the module is loaded (Ubuntu loads it on demand),
# so a loadable module or a kernel config that has it counts as present too.
IPVS_PROBE = (
    "{ [ -e /proc/net/ip_vs ] || [ -d /proc/sys/net/ipv4/vs ] || modinfo ip_vs >/dev/null 2>&1 "
    "|| grep -qs '^CONFIG_IP_VS=[ym]' /boot/config-$(uname -r); } && echo ipvs=yes || echo ipvs=no"
)

# The docker part of each batched read, as the CLI asks it: what a node without python3 runs (api_or), and what
# recordings made before the API path hold.
MANAGER_DOCKER = r"""
echo '@@ info'; docker info --format '{{json .}}' 2>&1
echo '@@ nodes'; n=$(docker node ls -q 2>/dev/null); [ -z "$n" ] || docker node inspect --format '{{json .}}' $n
echo '@@ services'; s=$(docker service ls -q 2>/dev/null); [ -z "$s" ] || docker service inspect --format '{{json .}}' $s
echo '@@ tasks'; [ -z "$s" ] || { t=$(docker service ps -q --no-trunc $s 2>/dev/null); [ -z "$t" ] || docker inspect --type task --format '{{json .}}' $t; }
echo '@@ networks'; w=$(docker network ls -q 2>/dev/null); [ -z "$w" ] || docker network inspect --format '{{json .}}' $w
echo '@@ volumes'; docker volume ls --format '{{json .}}' 2>/dev/null
"""
NODE_DOCKER = r"""
echo '@@ info'; docker info --format '{{json .}}' 2>&1
echo '@@ version'; docker version --format '{{json .Server}}' 2>/dev/null
echo '@@ containers'; c=$(docker ps -aq 2>/dev/null); [ -z "$c" ] || docker inspect --format '{{json .}}' $c
echo '@@ volumes'; docker volume ls --format '{{json .}}' 2>/dev/null
echo '@@ networks'; o=$(docker network ls -q --filter driver=overlay 2>/dev/null); [ -z "$o" ] || docker network inspect -v --format '{{json .}}' $o 2>/dev/null
"""
NODE_HOST = (
    r"""echo '@@ ipvs'; """
    + IPVS_PROBE
    + r"""
echo '@@ level6'; [ ! -d %s ] || (cd %s && find . -type f -print0 | sort -z | xargs -0 -r sha256sum)
echo '@@ listeners'; ss -Htlnp 2>/dev/null
echo '@@ links'; ip -j link show 2>/dev/null
echo '@@ addresses'; ip -j -4 addr show 2>/dev/null
echo '@@ routes'; ip -j -4 route show 2>/dev/null
true
"""
)
ENGINE_API = (Path(__file__).parent / "engine_api.py").read_text()


def api_or(what: str, docker: str) -> str:
    """The docker part of a read from one python3 on the node (engine_api.py), or as the CLI asks it where that
    says nothing."""
    return f"\npython3 -c {shlex.quote(ENGINE_API)} {what} 2>/dev/null || {{{docker}}}".replace("%", "%%")


MANAGER_CLI = Template("manager-cli", MANAGER_DOCKER + "true\n")
NODE_CLI = Template("node-cli", "\necho '@@ clock'; date -u +%%s.%%N" + NODE_DOCKER + NODE_HOST, (PATH, PATH))
MANAGER = Template("manager", api_or("manager", MANAGER_DOCKER) + "\ntrue\n", cli=MANAGER_CLI)
NODE = Template(
    "node",
    "\necho '@@ clock'; date -u +%%s.%%N" + api_or("node", NODE_DOCKER) + "\n" + NODE_HOST,
    (PATH, PATH),
    cli=NODE_CLI,
)

INFO = Template("info", "docker info --format '{{json .}}' 2>&1; " + IPVS_PROBE, limit=1024 * 1024, timeout=30)

LARGE = 1400  # ping payload that fills an overlay packet (MTU 1450) but not an underlay one (1500)
# What a gateway is asked from inside (busybox's sh does): $1 the upstream's name, the rest addresses to ping.
IN_GATEWAY = (
    "echo '@@ gateway'; n=$1; shift; "
    'echo "@@ $n"; getent ahostsv4 "$n" 2>/dev/null || nslookup "$n" 2>/dev/null || true; '
    'echo "@@ tasks.$n"; getent ahostsv4 "tasks.$n" 2>/dev/null || nslookup "tasks.$n" 2>/dev/null || true; '
    'echo \'@@ pings\'; for a in "$@"; do (ping -c 1 -W 2 "$a" >/dev/null 2>&1 && s=ok || s=fail; '
    f'ping -c 1 -W 2 -s {LARGE} "$a" >/dev/null 2>&1 && b=ok || b=fail; echo "$a $s $b") & done; wait'
)
PROBE = Template(
    "probe",
    'echo \'@@ binds\'; for p in %s; do [ -e "$p" ] && echo "ok $p" || echo "missing $p"; done; '
    "echo '@@ underlay'; for a in %s; do (ping -c 1 -W 2 \"$a\" >/dev/null 2>&1 && s=ok || s=fail; "
    'ping -c 1 -W 2 -M do -s 1472 "$a" >/dev/null 2>&1 && b=ok || b=fail; echo "$a $s $b") & done; wait; '
    'c=%s; [ -z "$c" ] || timeout 20 docker exec "$c" sh -c '
    + shlex.quote(IN_GATEWAY).replace("%", "%%")
    + " sh %s %s; true",
    (PATHS, IPV4S, MAYBE_ID, DNS_NAME, IPV4S),
    limit=256 * 1024,
    timeout=45,
)

SERVICE_LOGS = Template(
    "service-logs",
    "timeout 15 docker service logs --raw --tail %s %s 2>&1",
    (COUNT, NAME),
    limit=1024 * 1024,
    timeout=30,
)
TASK_LOGS = Template(
    "task-logs", "timeout 15 docker service logs --raw --tail %s %s 2>&1", (COUNT, ID), limit=1024 * 1024, timeout=30
)
CONTAINER_LOGS = Template(
    "container-logs", "timeout 15 docker logs --tail %s %s 2>&1", (COUNT, ID), limit=1024 * 1024, timeout=30
)

# What a named volume's database folder holds (its tables' files): which copy of a db's volume has the data.
VOLUME_FILES = Template(
    "volume-files",
    'd=$(docker volume inspect --format \'{{.Mountpoint}}\' %s 2>/dev/null) && [ -n "$d" ] && ls -1 "$d"/%s 2>/dev/null; '
    "true",
    (NAME, FILE_NAME),
    limit=256 * 1024,
    timeout=20,
)

# The images a node's engine holds: what the panel offers a service's image update, with no registry to pull from.
IMAGES = Template("images", "docker image ls --format '{{json .}}' 2>/dev/null; true", limit=1024 * 1024, timeout=30)

READS = {
    t.id: t
    for t in (
        MANAGER,
        NODE,
        MANAGER_CLI,
        NODE_CLI,
        INFO,
        PROBE,
        SERVICE_LOGS,
        TASK_LOGS,
        CONTAINER_LOGS,
        VOLUME_FILES,
        IMAGES,
    )
}


def matched(command: str, among: Optional[dict] = None) -> Optional[tuple]:
    """(template, values) of the template (a read, unless `among` names other templates) that renders exactly
    `command`, or None for anything else."""
    for template in (READS if among is None else among).values():
        values = template.match(command)
        if values is not None:
            return template, values
    return None


def cli_form(command: str) -> Optional[str]:
    """The CLI form of a read that asks the Engine API (api_or), as recordings made before it hold it; None for
    any other command."""
    found = matched(command)
    if found is None or found[0].cli is None:
        return None
    template, values = found
    return template.cli.render(*values)
