"""`swarmlab lab up|status|ssh|down`: the embedded lab on this machine."""

import argparse
import json
import os
import shlex
import shutil
from dataclasses import asdict

from rich.markup import escape
from rich.table import Table

from ... import ui
from ...errors import SwarmlabError, UsageError
from ...lab import DEFAULT_ENGINE, ENGINES, MAX_NODES, definition
from ...lab.definition import IMAGES
from ...lab.lab import Lab
from ...transport import inventory
from ...transport.factory import DEFAULT_LAB, over_ssh
from .base import Command, Group, existing_file, lab_name, out, output_file, written


class Up(Command):
    name, help = "up", "build the images if needed and start the nodes"
    options = (lab_name,)

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--config",
            type=existing_file,
            metavar="FILE",
            help="a lab definition (labs/lesson.yaml, labs/homework.yaml); the options below win over it",
        )
        parser.add_argument("--nodes", type=int, help=f"number of nodes, 1 to {MAX_NODES} (default: 3)")
        parser.add_argument(
            "--images",
            choices=IMAGES,
            help="lab: stand-ins built here (default); upstream: nodes pull the lesson's images",
        )
        parser.add_argument(
            "--engine",
            choices=ENGINES,
            help=f"the Docker Engine inside the nodes, as Debian ships it (default: {DEFAULT_ENGINE})",
        )
        parser.add_argument("--exist-ok", action="store_true", help="succeed without change if the lab already runs")
        parser.set_defaults(lab=None)  # so that a definition's name applies unless --lab is given

    def run(self, args) -> int:
        given = definition.load(args.config) if args.config else definition.Definition()
        lab = Lab(args.lab or given.name or DEFAULT_LAB)
        inv = lab.up(
            nodes=given.nodes if args.nodes is None else args.nodes,
            image_mode=args.images or given.images,
            exist_ok=args.exist_ok,
            engine=args.engine or given.engine,
        )
        ui.info(f"lab {lab.name!r} is up: {', '.join(f'{n.name} {n.address}' for n in inv.nodes)}")
        ui.info(f"inventory: {inv.path}")
        return 0


class Status(Command):
    name, help = "status", "nodes, SSH, engine, swarm state, IPVS"
    options = (lab_name,)

    def add_arguments(self, parser) -> None:
        parser.add_argument("--json", type=output_file, metavar="FILE", help="also as JSON in FILE (- for stdout)")

    def run(self, args) -> int:
        rows = Lab(args.lab).status()
        if args.json:
            written(
                args.json,
                json.dumps({"nodes": [{k: v for k, v in asdict(r).items() if k != "problem"} for r in rows]}, indent=2)
                + "\n",
            )
        if str(args.json) != "-":
            table = Table(title=f"lab {args.lab}")
            for column in ("node", "address", "SSH", "engine", "swarm", "IPVS"):
                table.add_column(column)
            for r in rows:
                table.add_row(
                    r.name,
                    r.address,
                    "yes" if r.ssh else f"[red]no[/red] {escape(r.problem or '')}",
                    r.engine or "-",
                    r.swarm or "-",
                    "-" if r.ipvs is None else ("yes" if r.ipvs else "no"),
                )
            out.print(table)
        return 0 if all(r.ssh for r in rows) else 1


class Ssh(Command):
    name, help = "ssh", "a shell or one command on a node"
    options = (lab_name,)

    def add_arguments(self, parser) -> None:
        parser.add_argument("node")
        parser.add_argument("cmd", nargs=argparse.REMAINDER, help="-- COMMAND ... (omit for an interactive shell)")

    def run(self, args) -> int:
        lab = Lab(args.lab)
        if not lab.is_complete():
            raise SwarmlabError(f"no lab named {lab.name!r} runs: start it with `swarmlab lab up --lab {lab.name}`")
        inv = inventory.load(lab.inventory_path)
        spec = inv.node(args.node)
        command = args.cmd[1:] if args.cmd[:1] == ["--"] else args.cmd
        if not command:
            if shutil.which("ssh") is None:
                raise UsageError("an interactive shell needs the OpenSSH client (apt-get install openssh-client)")
            os.execvp("ssh", ["ssh", "-F", str(lab.ssh_config_path), spec.name])
        with over_ssh(inv) as cluster:
            return cluster.node(spec.name).stream(shlex.join(command) if len(command) > 1 else command[0])


class Down(Command):
    name, help = "down", "remove the lab's containers, volumes and network"
    options = (lab_name,)

    def add_arguments(self, parser) -> None:
        parser.add_argument("--purge", action="store_true", help="also remove the cached images and node stores")

    def run(self, args) -> int:
        lab = Lab(args.lab)
        if not lab.down(purge=args.purge) and not args.purge:
            raise SwarmlabError(f"no lab named {lab.name!r} exists: nothing to remove")
        ui.info(f"lab {lab.name!r} removed" if not args.purge else "lab, cached images and node stores removed")
        return 0


class LabCommands(Group):
    name, help = "lab", "the embedded lab on this machine"
    commands = (Up(), Status(), Ssh(), Down())


COMMAND = LabCommands()
