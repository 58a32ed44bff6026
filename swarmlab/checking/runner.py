"""Running the checks in this process: for `swarmlab check`, the lesson driver, grading and the dashboard.

pytest runs the check modules of `swarmlab.checks` with this package's plugin
and no other (autoloading every installed plugin costs more than a check run),
against a Cluster the caller already holds: SSH, recorded or replayed alike.
"""

import os
import threading
from typing import Optional

import pytest

from ..errors import SwarmlabError, UsageError
from ..lesson.spec import PARTS
from ..transport.cluster import Cluster
from ..lesson.spec import PART_STAGES, STAGES
from .plugin import Session

_env_lock = threading.Lock()


def default_stages(part: int = 1) -> tuple:
    return PART_STAGES[part]


def validate(stages, part: int) -> tuple:
    if part not in PARTS:
        raise UsageError(f"part {part} is not a part of the lesson: use 1 or 2")
    known = PART_STAGES[part] + ("teardown",)
    unknown = [s for s in stages if s not in known]
    if unknown:
        raise UsageError(f"stage {', '.join(unknown)} is not a stage of part {part}: use {', '.join(known)}")
    return tuple(s for s in STAGES if s in stages)


def run_cluster(cluster: Cluster, stages=None, lang: str = "ru", part: int = 1) -> list:
    """The selected stages' checks against a cluster; the results, in stage order."""
    from ..state.reads import Reader

    return run_reader(Reader(cluster), stages, lang, part)


def run_reader(reader, stages=None, lang: str = "ru", part: int = 1) -> list:
    """The checks against one Reader, so that what they read is shared with its other users (the dashboard)."""
    stages = validate(stages or default_stages(part), part)
    session = Session(lang, part, reader)
    from .. import checks

    here = os.path.dirname(checks.__file__)
    # No ini file, conftest or cache of the folder the user runs swarmlab from takes part.
    # No terminal reporter: the results are the Session's, and nothing is printed over what others print.
    args = ["--pyargs", "swarmlab.checks", "-p", "swarmlab.checking.plugin", "-p", "no:cacheprovider",
            "-p", "no:terminal", "-c", os.devnull, f"--rootdir={here}", "--noconftest", "-m", " or ".join(stages)]
    with _env_lock:
        saved = os.environ.get("PYTEST_DISABLE_PLUGIN_AUTOLOAD")
        os.environ["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"
        try:
            code = pytest.main(args, plugins=[session])
        finally:
            if saved is None:
                os.environ.pop("PYTEST_DISABLE_PLUGIN_AUTOLOAD", None)
            else:
                os.environ["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = saved
    if code in (pytest.ExitCode.INTERNAL_ERROR, pytest.ExitCode.USAGE_ERROR) or not session.results:
        raise SwarmlabError(f"the checks could not start ({session.errors[-1] if session.errors else f'exit {code}'}): "
                            f"reinstall swarmlab (pip install .)")
    return session.results


def observed(cluster: Cluster, record: Optional[str] = None, record_commands: Optional[str] = None) -> tuple:
    """(the cluster, keeping what the checks run and read, the Recording or None), as --record and
    --record-commands ask."""
    from pathlib import Path

    from .. import resources
    from ..secrets import Masker, lesson_passwords
    from ..transport.recording import CommandLog, Recording, jsonl_sink

    if record_commands:
        sink = jsonl_sink(Path(record_commands))
        cluster = cluster.wrapped(lambda node: CommandLog(node, sink))
    recording = None
    if record:
        recording = Recording(Path(record).name.split(".")[0])
        cluster = cluster.recorded(recording, Masker(*lesson_passwords(resources.level6())))
    return cluster, recording


def known_checks(part: Optional[int] = None) -> dict:
    """{stage: (check id, ...)} of every check, read from the check modules' markers (no cluster needed)."""
    import importlib
    import pkgutil

    from .. import checks

    found = {}
    for module in pkgutil.iter_modules(checks.__path__):
        if not module.name.startswith("test_"):
            continue
        loaded = importlib.import_module(f"swarmlab.checks.{module.name}")
        marks = getattr(loaded, "pytestmark", [])
        marks = marks if isinstance(marks, list) else [marks]
        stage = next((m.name for m in marks if m.name in STAGES), None)
        for name, fn in vars(loaded).items():
            ids = [m.args[0] for m in getattr(fn, "pytestmark", []) if m.name == "check"]
            if name.startswith("test_") and ids and stage:
                found.setdefault(stage, []).append(ids[0])
    wanted = STAGES if part is None else PART_STAGES[part] + ("teardown",)
    return {stage: tuple(found[stage]) for stage in STAGES if stage in found and stage in wanted}
