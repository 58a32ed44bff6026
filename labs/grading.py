"""Grading many students' clusters (issue 6): being written."""


def register_cli(commands, parents):
    """Add `swarmlab grade` to the CLI."""
