"""The `swarmlab` command: a table of commands, one module each (molecule's way), over a small shared base.

Every failure a user can cause ends here as one line naming the problem and the fix, exit status 2 for usage
and input errors and 1 otherwise; anything else is a bug and shows as one.
"""

import logging
import sys
from importlib import import_module

from rich.markup import escape

from ... import __version__, safe, ui
from ...errors import SwarmlabError
from .base import Parser, quiet

# One module per command, each defining COMMAND; only the command asked for is imported, so that `swarmlab check`
# does not pay for the dashboard's web server or the lab's Docker SDK.
COMMANDS = ("lab", "lesson", "check", "answer", "answers", "grade", "dashboard", "inventory", "engine")


def parser(argv=()) -> Parser:
    """The command line's parser: of the one command `argv` names, or of every command (for `--help`)."""
    named = next((word for word in argv if not word.startswith("-")), None)
    top = Parser(prog="swarmlab", description="Teach, practise and grade the Docker Swarm lesson.")
    top.add_argument("--version", action="version", version=f"swarmlab {__version__}")
    quiet(top, default=False)
    commands = top.add_subparsers(dest="name", required=True, parser_class=Parser, metavar="COMMAND")
    for name in COMMANDS:
        if named in COMMANDS and name != named:
            commands.add_parser(name)
        else:
            import_module(f".{name}", __package__).COMMAND.register(commands)
    return top


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    args = parser(argv).parse_args(argv)
    ui.set_quiet(args.quiet)
    # paramiko logs a failed handshake as a traceback on stderr besides raising it; the raise is explained.
    logging.getLogger("paramiko").setLevel(logging.CRITICAL + 1)
    try:
        return args.command.run(args) or 0
    except SwarmlabError as err:
        ui.console.print(f"[red]swarmlab: {escape(safe.plain(str(err)))}[/red]", soft_wrap=True)
        return err.exit_code
    except KeyboardInterrupt:
        ui.console.print("[red]swarmlab: interrupted[/red]")
        return 130


if __name__ == "__main__":
    sys.exit(main())
