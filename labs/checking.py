"""Running the lesson's checks: pytest suites in checks/, one per stage.

A check asserts on typed state and, when it fails, raises a CheckFailure that
carries a catalog key and the evidence; the student sees the message and the
hint in their language. A stage that cannot be judged because an earlier one
failed is reported as blocked by it, not as a cascade of failures.
"""

import contextlib
import io
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Optional

import pytest

from .errors import SwarmlabError
from .hints import CATALOG

CHECKS_DIR = Path(__file__).resolve().parent.parent / "checks"
STAGES = ("init", "join", "network", "sync", "stacks", "vip", "connectivity", "pages", "teardown")
DEFAULT_STAGES = STAGES[:-1]  # teardown checks the opposite state: only on request
DEPENDS = {
    "init": (), "join": ("init",), "network": ("init",), "sync": (), "stacks": ("join", "network", "sync"),
    "vip": ("stacks",), "connectivity": ("stacks",), "pages": ("stacks",), "teardown": ("init",),
}
LANGS = ("ru", "en")
PLUGIN_NAME = "swarmlab-checks"


class CheckFailure(AssertionError):
    def __init__(self, key: str, evidence=(), **params):
        self.key, self.params, self.evidence = key, params, [str(e) for e in evidence if e]
        super().__init__(self.render("en")[0])

    def render(self, lang: str):
        entry = CATALOG[self.key]
        message, hint = entry[lang]
        return message.format(**self.params), hint.format(**self.params)

    @property
    def step(self) -> Optional[str]:
        return CATALOG[self.key]["step"]


def expect(condition, key: str, evidence=(), **params) -> None:
    """A check's assertion: when `condition` is false, fail with the catalog's message and hint."""
    if not condition:
        raise CheckFailure(key, evidence, **params)


@dataclass
class CheckResult:
    stage: str
    id: str
    outcome: str  # passed, failed or blocked
    message: str = ""
    hint: str = ""
    step: Optional[str] = None
    evidence: list = field(default_factory=list)

    def as_dict(self) -> dict:
        return asdict(self)


def stage_of(item) -> Optional[str]:
    return next((stage for stage in STAGES if item.get_closest_marker(stage)), None)


class Collector:
    """pytest plugin: orders checks by stage, blocks dependants of failed stages, keeps results."""

    def __init__(self, lang: str = "ru"):
        self.lang = lang
        self.results = []
        self._bad_stages = {}  # stage -> the failed stage at the root of its trouble

    @pytest.hookimpl(trylast=True)
    def pytest_collection_modifyitems(self, items):
        staged = [item for item in items if stage_of(item)]
        if staged:
            items.sort(key=lambda item: STAGES.index(stage_of(item)) if stage_of(item) else -1)

    def pytest_runtest_setup(self, item):
        stage = stage_of(item)
        if stage is None:
            return
        blocker = next((self._bad_stages[dep] for dep in DEPENDS[stage] if dep in self._bad_stages), None)
        if blocker is not None:
            failure = CheckFailure("blocked", stage=blocker)
            self._record(item, "blocked", failure)
            self._bad_stages.setdefault(stage, blocker)
            pytest.skip(failure.render(self.lang)[0])

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_makereport(self, item, call):
        report = (yield).get_result()
        stage = stage_of(item)
        if stage is None or report.skipped:
            return
        if report.when == "call" and report.passed:
            self._record(item, "passed")
        elif report.failed:
            error = call.excinfo.value if call.excinfo else None
            if not isinstance(error, CheckFailure):
                reason = f"{type(error).__name__}: {error}" if error else "failed"
                error = CheckFailure("error", reason=reason.strip().splitlines()[0][:300])
            self._bad_stages[stage] = stage
            self._record(item, "failed", error)
            message, hint = error.render(self.lang)
            report.longrepr = f"{message}\n  → {hint}" + "".join(f"\n    {e}" for e in error.evidence)

    def _record(self, item, outcome: str, failure: Optional[CheckFailure] = None):
        message, hint = failure.render(self.lang) if failure else ("", "")
        self.results.append(CheckResult(
            stage=stage_of(item), id=item.name.removeprefix("test_"), outcome=outcome, message=message,
            hint=hint, step=failure.step if failure else None, evidence=failure.evidence if failure else []))


def run(inventory_path: Path, stages=DEFAULT_STAGES, lang: str = "ru", accept_new_host_keys: bool = False,
        record_commands: Optional[Path] = None) -> list:
    """Run the selected stages' checks against one inventory; returns the results in stage order."""
    collector = Collector(lang)
    args = [str(CHECKS_DIR), "-q", "-q", "-p", "no:cacheprovider", "-p", "no:nbval", "--tb=no", "--no-header",
            "--inventory", str(inventory_path), "--lang", lang, "-m", " or ".join(stages)]
    if accept_new_host_keys:
        args.append("--accept-new-host-keys")
    if record_commands:
        args += ["--record-commands", str(record_commands)]
    with contextlib.redirect_stdout(io.StringIO()) as output:
        code = pytest.main(args, plugins=[collector])
    if code in (pytest.ExitCode.INTERNAL_ERROR, pytest.ExitCode.USAGE_ERROR):
        raise SwarmlabError(f"the checks could not start: {output.getvalue().strip().splitlines()[-1:]}")
    return collector.results
