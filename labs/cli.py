"""The `swarmlab` command.

Every failure a user can cause ends here as one line naming the problem and
the fix, with exit status 2 for usage and inventory errors and 1 otherwise.
"""

import argparse
import json
import os
import shlex
import shutil
import sys
from dataclasses import asdict

import docker
from rich.console import Console
from rich.table import Table

from . import engine, inventory, ui
from .errors import SwarmlabError, UsageError
from .lab import MAX_NODES, Lab
from .state import default_inventory

out = Console(highlight=False)


def main(argv=None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    ui.set_quiet(getattr(args, "quiet", False))
    try:
        return args.func(args) or 0
    except SwarmlabError as err:
        ui.console.print(f"[red]swarmlab: {err}[/red]", soft_wrap=True)
        return err.exit_code
    except docker.errors.DockerException as err:
        ui.console.print(f"[red]swarmlab: the Docker engine refused: {_first_line(err)}[/red]", soft_wrap=True)
        return 1
    except KeyboardInterrupt:
        ui.console.print("[red]swarmlab: interrupted[/red]")
        return 130


def _first_line(err) -> str:
    text = str(err).strip()
    return text.splitlines()[0][:300] if text else type(err).__name__


class _Parser(argparse.ArgumentParser):
    def error(self, message):
        self.exit(2, f"swarmlab: {message} (see `{self.prog} --help`)\n")


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("-q", "--quiet", action="store_true", help="no progress, only results and errors")
    parser = _Parser(prog="swarmlab", description="Teach, practise and grade the Docker Swarm lesson.",
                     parents=[common])
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    lab = commands.add_parser("lab", help="the embedded 3-node lab on this machine", parents=[common])
    lab_commands = lab.add_subparsers(dest="lab_command", required=True, parser_class=_Parser)
    named = argparse.ArgumentParser(add_help=False)
    named.add_argument("--name", default="swarmlab", help="lab name (default: swarmlab)")

    up = lab_commands.add_parser("up", help="build the images if needed and start the nodes", parents=[common, named])
    up.add_argument("--nodes", type=int, default=3, help=f"number of nodes, 1 to {MAX_NODES} (default: 3)")
    up.add_argument("--images", choices=("lab", "upstream"), default="lab",
                    help="lab: stand-ins built here (default); upstream: nodes pull the lesson's images")
    up.add_argument("--exist-ok", action="store_true", help="succeed without change if the lab already runs")
    up.set_defaults(func=cmd_lab_up)

    status = lab_commands.add_parser("status", help="nodes, SSH, engine, swarm state, IPVS", parents=[common, named])
    status.add_argument("--json", action="store_true", help="machine-readable output")
    status.set_defaults(func=cmd_lab_status)

    ssh = lab_commands.add_parser("ssh", help="a shell or one command on a node", parents=[common, named])
    ssh.add_argument("node")
    ssh.add_argument("cmd", nargs=argparse.REMAINDER, help="-- COMMAND ... (omit for an interactive shell)")
    ssh.set_defaults(func=cmd_lab_ssh)

    down = lab_commands.add_parser("down", help="remove the lab's containers, volumes and network",
                                   parents=[common, named])
    down.add_argument("--purge", action="store_true", help="also remove the cached images")
    down.set_defaults(func=cmd_lab_down)

    eng = commands.add_parser("engine", help="the local Docker engine the lab runs on", parents=[common])
    eng_commands = eng.add_subparsers(dest="engine_command", required=True, parser_class=_Parser)
    eng_commands.add_parser("start", help="install and start dockerd if none answers",
                            parents=[common]).set_defaults(func=cmd_engine_start)
    eng_commands.add_parser("stop", help="stop the dockerd that swarmlab started",
                            parents=[common]).set_defaults(func=cmd_engine_stop)
    return parser


def cmd_lab_up(args) -> int:
    lab = Lab(args.name)
    inv = lab.up(nodes=args.nodes, image_mode=args.images, exist_ok=args.exist_ok)
    ui.info(f"lab {lab.name!r} is up: {', '.join(f'{n.name} {n.address}' for n in inv.nodes)}")
    ui.info(f"inventory: {inv.path}")
    return 0


def cmd_lab_status(args) -> int:
    rows = Lab(args.name).status()
    if args.json:
        print(json.dumps({"nodes": [{k: v for k, v in asdict(r).items() if k != "problem"} for r in rows]}, indent=2))
    else:
        table = Table(title=f"lab {args.name}")
        for column in ("node", "address", "SSH", "engine", "swarm", "IPVS"):
            table.add_column(column)
        for r in rows:
            table.add_row(r.name, r.address, "yes" if r.ssh else f"[red]no[/red] {r.problem or ''}",
                          r.engine or "-", r.swarm or "-", "-" if r.ipvs is None else ("yes" if r.ipvs else "no"))
        out.print(table)
    return 0 if all(r.ssh for r in rows) else 1


def cmd_lab_ssh(args) -> int:
    from .cluster import Cluster

    lab = Lab(args.name)
    if not lab.is_complete():
        raise SwarmlabError(f"no lab named {lab.name!r} runs: start it with `swarmlab lab up --name {lab.name}`")
    inv = inventory.load(lab.inventory_path)
    spec = inv.node(args.node)
    command = args.cmd[1:] if args.cmd[:1] == ["--"] else args.cmd
    if not command:
        if shutil.which("ssh") is None:
            raise UsageError("an interactive shell needs the OpenSSH client (apt-get install openssh-client)")
        os.execvp("ssh", ["ssh", "-F", str(lab.ssh_config_path), spec.name])
    with Cluster(inv) as cluster:
        return cluster.node(spec.name).stream(shlex.join(command) if len(command) > 1 else command[0])


def cmd_lab_down(args) -> int:
    lab = Lab(args.name)
    if not lab.down(purge=args.purge) and not args.purge:
        raise SwarmlabError(f"no lab named {lab.name!r} exists: nothing to remove")
    ui.info(f"lab {lab.name!r} removed" if not args.purge else "lab and cached images removed")
    return 0


def cmd_engine_start(args) -> int:
    client = engine.connect()
    ui.info(f"Docker engine {client.version()['Version']} answers")
    return 0


def cmd_engine_stop(args) -> int:
    ui.info("stopped the engine swarmlab started" if engine.stop() else "no engine started by swarmlab runs")
    return 0


if __name__ == "__main__":
    sys.exit(main())
