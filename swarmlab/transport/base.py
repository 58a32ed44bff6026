"""What every way of reaching a node offers: run a command, read its output, copy files in.

Like pytest-testinfra's backends, a command is written once with `%s` holes and
its arguments are quoted for the shell here, so no caller builds a command line
out of f-strings and a hostname or path with a space or a quote cannot change
what runs. Backends (SSH, replay) only implement `_exec` and `put`.
"""

import shlex
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Optional

from ..errors import CommandFailed, ReadTooLarge

LIMIT = 8 * 1024 * 1024  # bytes one command's answer may hold, stdout and stderr together


@dataclass(frozen=True)
class Result:
    command: str
    exit_status: int
    stdout: str
    stderr: str

    @property
    def ok(self) -> bool:
        return self.exit_status == 0


def quote(command: str, *args) -> str:
    """`command` with each `%s` replaced by one argument, quoted for a POSIX shell (`%%` for a literal %;
    a command given no arguments is sent as written)."""
    if not args:
        return command
    return command % tuple(shlex.quote(str(arg)) for arg in args)


class Node:
    """One node of a cluster, however it is reached."""

    name: str

    def run(
        self, command: str, *args, stdin: Optional[bytes] = None, timeout: float = 120, limit: int = LIMIT
    ) -> Result:
        """The command's exit status and output; an answer beyond `limit` bytes stops the read (ReadTooLarge),
        and one slower than `timeout` seconds ends it, so a node that floods or trickles holds neither memory
        nor time."""
        line = quote(command, *args)
        out, err = bytearray(), bytearray()

        def keep(buffer: bytearray):
            def add(data: bytes) -> None:
                if len(out) + len(err) + len(data) > limit:
                    raise ReadTooLarge(self.name, line, limit)
                buffer.extend(data)

            return add

        status = self._exec(line, keep(out), keep(err), timeout, stdin)
        return Result(line, status, out.decode(errors="replace"), err.decode(errors="replace"))

    def check_output(self, command: str, *args, stdin: Optional[bytes] = None, timeout: float = 120) -> str:
        """The command's stdout without its last newline; a non-zero exit raises CommandFailed."""
        result = self.run(command, *args, stdin=stdin, timeout=timeout)
        if not result.ok:
            last = (result.stderr.strip() or result.stdout.strip()).splitlines()[-1:] or ["no output"]
            raise CommandFailed(self.name, result.command, result.exit_status, last[0])
        return result.stdout.rstrip("\n")

    def stream(self, command: str, *args, stdout=None, stderr=None, timeout: float = 3600) -> int:
        """Run the command, copying its output as it comes; returns its exit status."""
        return self._exec(
            quote(command, *args),
            _writer(stdout or sys.stdout.buffer),
            _writer(stderr or sys.stderr.buffer),
            timeout,
            None,
        )

    def put(self, local: Path, remote: str) -> None:
        """Copy one local file to `remote` on the node, keeping its permission bits."""
        raise NotImplementedError

    def connect(self) -> "Node":
        return self

    def address(self) -> Optional[str]:
        """Where this machine really reaches the node (after ~/.ssh/config), if the backend knows better than the
        inventory."""
        return None

    def close(self) -> None:
        pass

    def _exec(self, command: str, on_out: Callable, on_err: Callable, timeout: float, stdin: Optional[bytes]) -> int:
        raise NotImplementedError


def _writer(stream):
    def write(data):
        stream.write(data)
        stream.flush()

    return write
