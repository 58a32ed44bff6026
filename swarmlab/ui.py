"""Progress and messages on the terminal, silenced by --quiet.

Long steps (bootstraps, image loads, waiting for nodes) show a spinner with the
elapsed time so that a student can tell a slow step from a hung one.
"""

import contextlib
import time

from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

console = Console(stderr=True, highlight=False, soft_wrap=True)
_quiet = False


def set_quiet(quiet: bool) -> None:
    global _quiet
    _quiet = quiet


def info(message: str) -> None:
    if not _quiet:
        console.print(message)


class Step:
    """One running step; `update` changes the line shown while it runs."""

    def __init__(self, progress, task_id):
        self._progress = progress
        self._task_id = task_id

    def update(self, detail: str) -> None:
        if self._progress is not None:
            self._progress.update(self._task_id, detail=detail)


@contextlib.contextmanager
def step(description: str):
    """Show a spinner while the block runs and a tick with its duration after."""
    if _quiet:
        yield Step(None, None)
        return
    started = time.monotonic()
    progress = Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        TextColumn("[dim]{task.fields[detail]}"),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    )
    with progress:
        task_id = progress.add_task(description, detail="")
        yield Step(progress, task_id)
    console.print(f"[green]✓[/green] {description} [dim]({time.monotonic() - started:.1f} s)[/dim]")
