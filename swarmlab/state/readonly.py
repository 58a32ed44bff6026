"""Read-only by construction: a node that sends the read side's templates (templates.py) and nothing else.

The checks, the dashboard, the grader and the panel reach nodes only through ReadOnlyNode: it takes a template
and its values, checks that the template is one of the read side's own and each value fits its hole, and only
then renders and sends it, capped in bytes and seconds as the template says. Text of any other kind is refused
before it leaves this machine, whatever it says: the guard does not judge commands, it only knows its reads.

A recording made before a read asked the Engine API (templates.api_or) holds the read's CLI form, which is what a
node without python3 answers: replayed, the read is answered with that.
"""

from typing import Optional

from ..errors import ReplayMiss, WriteRefused
from ..transport.base import Node, Result
from .templates import READS, Template


class ReadOnlyNode(Node):
    def __init__(self, inner: Node):
        self.inner = inner
        self.name = inner.name

    def read(self, template: Template, *values, timeout: Optional[float] = None) -> Result:
        if READS.get(template.id) is not template:
            raise WriteRefused(f"refused on {self.name}: {template.id!r} is not one of the read side's templates")
        command, seconds = template.render(*values), timeout or template.timeout
        try:
            return self.inner.run(command, timeout=seconds, limit=template.limit)
        except ReplayMiss:
            if template.cli is None:
                raise
            return self.inner.run(template.cli.render(*values), timeout=seconds, limit=template.limit)

    def connect(self) -> "ReadOnlyNode":
        self.inner.connect()
        return self

    def _exec(self, command, on_out, on_err, timeout, stdin) -> int:
        raise WriteRefused(
            f"refused on {self.name}, the checks only read: `{command.strip()[:80]}` is not one of "
            f"the read side's templates"
        )

    def put(self, local, remote) -> None:
        raise WriteRefused(f"refused on {self.name}, the checks only read: copying a file to {remote}")

    def close(self) -> None:
        self.inner.close()

    def address(self):
        return self.inner.address()
