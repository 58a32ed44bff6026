"""The lesson's checks, one module per stage: `pytest --pyargs swarmlab.checks --inventory F -m STAGE`.

Importing this package registers every check; `run_checks` runs them natively and the pytest plugin
(swarmlab.frontends.pytest_plugin) makes pytest items of the same registry.
"""

from typing import Union

from ..checking import runner
from ..checking.registry import REGISTRY
from ..lesson.spec import reader
from ..state.reads import Reader
from ..transport.cluster import Cluster
from . import (  # noqa: F401  (each module registers its stage's checks)
    test_connectivity,
    test_init,
    test_join,
    test_labels,
    test_network,
    test_pages,
    test_panel,
    test_placement,
    test_stacks,
    test_sync,
    test_teardown,
    test_vip,
)


def run_checks(source: Union[Cluster, Reader], stages=None, lang: str = "ru", part: int = 1) -> list:
    """The lesson's checks against a cluster, or against a Reader shared with another user of the same read."""
    return runner.run(REGISTRY, source if isinstance(source, Reader) else reader(source), stages, lang, part)


def known_checks(part=None) -> dict:
    """{stage: (check id, ...)} of a part, or of every stage (no cluster needed)."""
    return REGISTRY.ids(part)


def judge(part: int = 1, lang: str = "en"):
    """The lesson's checks of a part as `lesson run`'s converge asks for them: a function of one Reader."""
    return lambda found: run_checks(found, None, lang, part)
