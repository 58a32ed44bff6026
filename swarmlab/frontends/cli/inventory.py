"""`swarmlab inventory init`: a starting inventory for a student's own VMs, commented, so no repository is needed."""

import ipaddress
from pathlib import Path

from ... import ui
from ...errors import UsageError
from ...transport import inventory
from .base import Command, Group

TEMPLATE = """\
# swarmlab inventory: how to reach each node of your cluster. Check a cluster with
#   swarmlab check --inventory {out} --accept-new-host-keys     (the first time: records the VMs' host keys)
#   swarmlab check --inventory {out}                            (afterwards: a changed host key is refused)
# The VMs need: SSH for this user with this key; docker usable by the user (the docker group) or
# `become: sudo` with sudo that asks no password; ports 2377/tcp, 7946/tcp+udp and 4789/udp open between them.
version: 1
endpoint_mode: auto          # auto (vip where the kernel has IPVS), vip or dnsrr
nodes:
{nodes}"""
NODE = """\
  - name: {name}{name_note}
    address: {address}
    user: {user}
    key: {key}                 # the private key; leave it out to use your ssh-agent
    role: {role}{become}
"""


def address_of(value: str) -> str:
    """An IP address or a host name (a Host of ~/.ssh/config works too)."""
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        if not inventory.NAME.match(value.lower().replace(".", "-")):
            raise UsageError(f"{value!r} is not an address: give each VM's IP address or host name") from None
        return value


class Init(Command):
    name, help = "init", "write a starting inventory for your VMs (the manager's address first)"

    def add_arguments(self, parser) -> None:
        parser.add_argument("addresses", nargs="+", metavar="ADDRESS", help="the manager's, then each worker's")
        parser.add_argument("--user", default="ubuntu", help="the SSH user on the VMs (default: ubuntu)")
        parser.add_argument("--key", default="~/.ssh/id_ed25519", help="the private key (default: ~/.ssh/id_ed25519)")
        parser.add_argument(
            "--become", choices=("sudo",), help="run docker through sudo (for a user outside the docker group)"
        )
        parser.add_argument("--out", default="inventory.yaml", metavar="FILE", help="(default: inventory.yaml)")
        parser.add_argument("--force", action="store_true", help="replace FILE if it exists")

    def run(self, args) -> int:
        out = Path(args.out).expanduser()
        if out.exists() and not args.force:
            raise UsageError(f"{out} exists: give another --out, or add --force to replace it")
        if not out.parent.is_dir():
            raise UsageError(f"{out}: the folder {out.parent} does not exist: create it or give another --out")
        names = ["manager"] + [f"worker-{i}" for i in range(1, len(args.addresses))]
        nodes = "".join(
            NODE.format(
                name=name,
                name_note="             # its hostname, as `docker node ls` shows it" if i == 0 else "",
                address=address_of(address),
                user=args.user,
                key=args.key,
                role="manager" if i == 0 else "worker",
                become="\n    become: sudo" if args.become else "",
            )
            for i, (name, address) in enumerate(zip(names, args.addresses))
        )
        out.write_text(TEMPLATE.format(out=out, nodes=nodes), encoding="utf-8")
        ui.info(
            f"inventory written to {out}: check the names against `docker node ls`, then run "
            f"`swarmlab check --inventory {out} --accept-new-host-keys`"
        )
        return 0


class InventoryCommands(Group):
    name, help = "inventory", "the inventory of your own VMs"
    commands = (Init(),)


COMMAND = InventoryCommands()
