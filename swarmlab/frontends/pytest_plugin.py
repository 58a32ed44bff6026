"""The lesson's checks as pytest items, as pytest-testinfra's plugin is for testinfra.

Registered by the `pytest11` entry point, so `pytest --pyargs swarmlab.checks --inventory F -m stacks` works
wherever swarmlab is installed, and `pytest checks/` from a checkout (the root conftest.py loads this plugin
where swarmlab is not installed). The items are made from the check registry, one per check, named
`test_<id>` in its stage's module and marked with its stage, and each is judged by the same runner as
`swarmlab check`: a blocked or not-applicable check is skipped with its reason, a failed one fails with its
message, hint and evidence. The `facts` fixture gives tests of one's own the same read of the cluster. The
plugin does nothing to tests that are not checks, so it can stay loaded in any session.
"""

from pathlib import Path

import pytest

from .. import checks, i18n
from ..checking import runner
from ..checking.facts import Facts
from ..checking.registry import REGISTRY, Check, stages_of
from ..lesson.spec import PARTS, STAGES, reader
from ..transport.factory import Access, Source, open_cluster

CHECKS_DIR = Path(checks.__file__).resolve().parent
FACTS = pytest.StashKey[Facts]()


def pytest_addoption(parser):
    group = parser.getgroup("swarmlab", "the lesson's checks (swarmlab)")
    group.addoption("--inventory", help="inventory of the cluster to check (default: the embedded lab's)")
    group.addoption("--lab", help="the embedded lab to check (default: swarmlab)")
    group.addoption("--replay", help="check a recorded cluster state instead of a live cluster")
    group.addoption("--part", type=int, choices=PARTS, default=1, help="the lesson's part (default: 1)")
    group.addoption(
        "--lang",
        choices=i18n.LANGS,
        default=None,
        help=f"language of messages and hints (default: ${i18n.ENV}, else ru)",
    )
    group.addoption("--accept-new-host-keys", action="store_true", help="record host keys met for the first time")
    group.addoption("--record-commands", help="append every command run on a node to this file (JSON lines)")
    group.addoption("--record", help="keep everything the checks read as a recording (for --replay)")


def pytest_configure(config):
    config.addinivalue_line("markers", "check(id): a lesson check and its stable id (the gradebook's key)")
    for stage in STAGES:
        config.addinivalue_line("markers", f"{stage}: the lesson's stage {stage}")


def pytest_collect_directory(path, parent):
    """The checks' folder is collected as a plain folder, not as a package: its __init__ is imported as
    swarmlab.checks, never again under the name of the link that led to it (checks/)."""
    if path.resolve() == CHECKS_DIR:
        return pytest.Dir.from_parent(parent, path=path)
    return None


def pytest_pycollect_makemodule(module_path, parent):
    """A module of swarmlab/checks (or checks/, its link at a checkout's top) yields its checks as items."""
    if module_path.resolve().parent == CHECKS_DIR and module_path.name.startswith("test_"):
        return StageModule.from_parent(parent, path=module_path)
    return None


class StageModule(pytest.File):
    def collect(self):
        name = f"{checks.__name__}.{self.path.stem}"
        for check in REGISTRY.of():
            if check.module == name:
                yield CheckItem.from_parent(self, name=f"test_{check.id}", check=check)


class CheckFailed(Exception):
    """A check that failed, with the words of its result."""


class CheckItem(pytest.Item):
    def __init__(self, *, check: Check, **kwargs):
        super().__init__(**kwargs)
        self.check = check
        self.add_marker(check.stage)
        self.add_marker(pytest.mark.check(check.id))

    def runtest(self):
        result = runner.judge(self.check, facts_of(self.config))
        self.user_properties.append(("swarmlab", result.as_dict()))
        if result.outcome in ("blocked", "not_applicable"):
            pytest.skip(result.message)
        if result.outcome == "failed":
            raise CheckFailed("\n".join([result.message, f"  → {result.hint}", *(f"    {e}" for e in result.evidence)]))

    def repr_failure(self, excinfo, style=None):
        if isinstance(excinfo.value, CheckFailed):
            return str(excinfo.value)
        return super().repr_failure(excinfo)

    def reportinfo(self):
        return self.path, None, f"{self.check.stage}: {self.check.id}"


def pytest_collection_modifyitems(config, items):
    """The checks in the lesson's order; without -m, only the stages of the part asked for (teardown is a
    stage of its own, checked on request: `-m teardown`)."""
    order = {stage: index for index, stage in enumerate(STAGES)}
    items.sort(key=lambda item: order.get(item.check.stage, -1) if isinstance(item, CheckItem) else -1)
    if config.option.markexpr:
        return
    wanted = stages_of(config.getoption("--part"))
    skipped = [item for item in items if isinstance(item, CheckItem) and item.check.stage not in wanted]
    if skipped:
        config.hook.pytest_deselected(items=skipped)
        items[:] = [item for item in items if item not in skipped]


def facts_of(config) -> Facts:
    """The cluster as the checks see it, read once per session through the read side only."""
    if FACTS not in config.stash:
        source = Source(
            lab=config.getoption("--lab"),
            replay=config.getoption("--replay"),
            inventory=Path(config.getoption("--inventory")) if config.getoption("--inventory") else None,
        )
        access = Access(
            timeout=8,
            accept_new_host_keys=config.getoption("--accept-new-host-keys"),
            record=config.getoption("--record"),
            record_commands=config.getoption("--record-commands"),
        )
        cluster = open_cluster(source, access)
        config.add_cleanup(cluster.close)
        config.stash[FACTS] = Facts(
            reader(cluster), config.getoption("--part"), i18n.chosen(config.getoption("--lang"))
        )
    return config.stash[FACTS]


@pytest.fixture(scope="session")
def facts(request) -> Facts:
    """The lesson's facts about the cluster under test, for tests of one's own beside the checks."""
    return facts_of(request.config)
