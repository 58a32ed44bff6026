"""Every error swarmlab raises on purpose, in one hierarchy.

Each carries the one line to print (the problem and the fix) and the exit
status; the front-ends catch SwarmlabError and nothing else, so anything that
is not one of these is a bug and shows as one.
"""

from . import i18n


class SwarmlabError(Exception):
    """A failure with a message that names the problem and the fix."""

    exit_code = 1


class UsageError(SwarmlabError):
    """Bad arguments: the command was asked for something it cannot do."""

    exit_code = 2


class InventoryError(UsageError):
    """An inventory file that cannot be used as written."""


class RosterError(InventoryError):
    """A roster that cannot be graded as written (before any cluster is contacted)."""


class RubricError(InventoryError):
    """A rubric that cannot score as written (before any cluster is contacted)."""


class RecordingError(UsageError):
    """A recorded cluster state that cannot be replayed as written."""


class EngineError(SwarmlabError):
    """No usable Docker engine on this machine."""


class NodeUnreachable(SwarmlabError):
    """A node could not be reached; `reason` is a short code (timeout, refused, auth, ...) for reports.

    A reason with words of its own (`ssh.<reason>` in swarmlab/i18n) is said in the reader's language by
    `render(lang)`, its placeholders filled from `params`; any other says `detail`."""

    def __init__(self, node: str, reason: str, detail: str = "", **params):
        self.node, self.reason, self.params = node, reason, params
        self.detail = detail or self.render("en")
        super().__init__(f"{node}: {self.detail}")

    def render(self, lang: str) -> str:
        if f"ssh.{self.reason}" in i18n.WORDS[lang]:
            return i18n.tr(f"ssh.{self.reason}", lang, **self.params)
        return self.detail


class ReadTooLarge(NodeUnreachable):
    """A node answered more than one read may hold: reading stopped at the cap (a flood is not a cluster's state)."""

    def __init__(self, node: str, command: str, cap: int):
        super().__init__(node, "too-large", read=command.strip().split("\n")[0][:60], cap=f"{cap // 1024} KiB")


class CommandFailed(SwarmlabError):
    """A command that had to succeed on a node exited non-zero."""

    def __init__(self, node: str, command: str, exit_status: int, last_line: str):
        super().__init__(f"`{command}` failed on {node} (exit {exit_status}: {last_line})")
        self.node, self.command, self.exit_status, self.last_line = node, command, exit_status, last_line


class WriteRefused(SwarmlabError):
    """A command that would change a cluster, sent where only reads are allowed (the checks)."""


class ReplayMiss(SwarmlabError):
    """A replayed node was asked for something its recording does not hold."""


class StepFailed(SwarmlabError):
    """A lesson step could not be done; the message names the step or command that fixes it."""


class TimedOut(SwarmlabError):
    """Something awaited did not happen in time; the message says what was still missing."""


def reason(err: BaseException, lang: str) -> str:
    """Why, in the reader's language where the error can say it (an unreachable node), else in its own words."""
    render = getattr(err, "render", None)
    return render(lang) if render else (getattr(err, "detail", None) or str(err) or type(err).__name__)
