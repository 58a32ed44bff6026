"""The lesson's checks as a pytest plugin, as pytest-testinfra's plugin.py is for testinfra.

Registered by the `pytest11` entry point, so `pytest --pyargs swarmlab.checks
--inventory F -m stacks` works wherever swarmlab is installed; `swarmlab check`
and grading run the same checks in-process (runner.py). The plugin adds the
options, the `facts` fixture (one cached read of the cluster per session),
orders the checks by stage and turns each outcome into a CheckResult. It does
nothing to tests that are not checks, so it can stay loaded in any session.
"""

from pathlib import Path
from typing import Optional

import pytest

from ..i18n import LANGS
from ..lesson.spec import ON_REQUEST, PART_STAGES, PARTS, STAGES
from .facts import Facts
from .results import CheckFailure, CheckResult

NAME = "swarmlab-checks"


def stages_of(part: int) -> tuple:
    return PART_STAGES[part] + ON_REQUEST


def stage_of(item) -> Optional[str]:
    return next((stage for stage in STAGES if item.get_closest_marker(stage)), None)


def check_id(item) -> Optional[str]:
    marker = item.get_closest_marker("check")
    return marker.args[0] if marker and marker.args else None


def pytest_addoption(parser):
    group = parser.getgroup("swarmlab", "the lesson's checks (swarmlab)")
    group.addoption("--inventory", help="inventory of the cluster to check (default: the embedded lab's)")
    group.addoption("--replay", help="check a recorded cluster state instead of a live cluster")
    group.addoption("--part", type=int, choices=PARTS, default=1, help="the lesson's part (default: 1)")
    group.addoption("--lang", choices=LANGS, default="ru", help="language of messages and hints (default: ru)")
    group.addoption("--accept-new-host-keys", action="store_true", help="record host keys met for the first time")
    group.addoption("--record-commands", help="append every command run on a node to this file (JSON lines)")
    group.addoption("--record", help="keep everything the checks read as a recording (for --replay)")


def pytest_configure(config):
    config.addinivalue_line("markers", "check(id): a lesson check and its stable id (the gradebook's key)")
    for stage in STAGES:
        config.addinivalue_line("markers", f"{stage}: the lesson's stage {stage}")
    if session_of(config) is None:
        config.pluginmanager.register(Session(config.getoption("--lang"), config.getoption("--part")), NAME)


def session_of(config) -> Optional["Session"]:
    """The run's Session: the runner's (given to pytest.main) or the one made from the command line's options."""
    return next((p for p in config.pluginmanager.get_plugins() if isinstance(p, Session)), None)


class Session:
    """One check run: where its cluster comes from, and the results it collects."""

    def __init__(self, lang: str = "ru", part: int = 1, reader=None):
        self.lang, self.part = lang, part
        self.reader = reader  # given by the runner; else built from the command line's options
        self.results = []
        self.errors = []  # why a check module could not even be collected
        self._facts = None
        self._closers = []

    def facts(self, config) -> Facts:
        if self._facts is None:
            from ..state.reads import Reader

            self._facts = Facts(self.reader or Reader(self._open(config)), self.part, self.lang)
        return self._facts

    def _open(self, config):
        from ..paths import default_inventory
        from ..transport import inventory as inventory_file
        from ..transport.cluster import Cluster

        if config.getoption("--replay"):
            cluster = Cluster.replayed(config.getoption("--replay"))
        else:
            inv = inventory_file.load(config.getoption("--inventory") or default_inventory())
            cluster = Cluster.over_ssh(inv, timeout=8, accept_new_host_keys=config.getoption("--accept-new-host-keys"))
        self._closers.append(cluster.close)
        from .runner import observed

        cluster, recording = observed(cluster, config.getoption("--record"), config.getoption("--record-commands"))
        if recording is not None:
            self._closers.append(lambda: recording.save(Path(config.getoption("--record"))))
        return cluster

    @pytest.hookimpl(trylast=True)
    def pytest_collection_modifyitems(self, items):
        order = {stage: index for index, stage in enumerate(STAGES)}
        items.sort(key=lambda item: order.get(stage_of(item), -1))

    def pytest_collectreport(self, report):
        if report.failed:
            self.errors.append(str(report.longrepr).strip().splitlines()[-1][:300])

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_makereport(self, item, call):
        report = (yield).get_result()
        identity = check_id(item)
        if identity is None or call.when != "call":
            if identity is not None and report.failed:  # a fixture of the check broke
                self._record(item, report, _as_failure(call.excinfo))
            return
        self._record(item, report, _as_failure(call.excinfo) if call.excinfo else None)

    def _record(self, item, report, failure: Optional[CheckFailure]) -> None:
        result = CheckResult.of(stage_of(item), check_id(item), self.lang, failure)
        self.results.append(result)
        if result.outcome in ("blocked", "not_applicable"):
            report.outcome, report.longrepr = "skipped", (str(item.path), None, result.message)
        elif result.outcome == "failed":
            report.outcome = "failed"
            report.longrepr = f"{result.message}\n  → {result.hint}" + "".join(f"\n    {e}" for e in result.evidence)

    def pytest_unconfigure(self, config):
        for close in reversed(self._closers):
            close()


def _as_failure(excinfo) -> Optional[CheckFailure]:
    if excinfo is None:
        return None
    error = excinfo.value
    if isinstance(error, CheckFailure):
        return error
    text = f"{type(error).__name__}: {error}".strip().splitlines()[0][:300]
    return CheckFailure("error", reason=text)


@pytest.fixture(scope="session")
def facts(request) -> Facts:
    """The cluster as the checks see it: read once, through the read side only."""
    return session_of(request.config).facts(request.config)
