"""Errors that end a command with one clear line instead of a traceback.

Every error a student or an instructor can cause or fix carries the message to
print and the exit status; the CLI catches these and nothing else.
"""


class SwarmlabError(Exception):
    """A failure with a message that names the problem and the fix."""

    exit_code = 1


class UsageError(SwarmlabError):
    """Bad arguments: the command was asked for something it cannot do."""

    exit_code = 2


class InventoryError(UsageError):
    """An inventory, roster or rubric file that cannot be used as written."""


class EngineError(SwarmlabError):
    """No usable Docker engine on this machine."""


class NodeUnreachable(SwarmlabError):
    """A node could not be reached over SSH; the message says why in plain words."""
