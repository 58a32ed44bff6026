"""The lesson's checks, one module per stage: `pytest --pyargs swarmlab.checks --inventory F -m STAGE`.

Importing this package registers every check; `run_checks` runs them natively and the pytest plugin
(swarmlab.frontends.pytest_plugin) makes pytest items of the same registry.
"""

from functools import lru_cache
from typing import Union

from .. import resources
from ..checking import runner
from ..checking.registry import REGISTRY
from ..lesson.spec import reader
from ..secrets import Masker, lesson_passwords
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
    """The lesson's checks against a cluster, or against a Reader shared with another user of the same read; what
    they say is masked (the lesson's secrets and the cluster's own) and free of control characters."""
    found = source if isinstance(source, Reader) else reader(source)
    return runner.run(REGISTRY, found, stages, lang, part, lesson_masker())


@lru_cache(maxsize=None)
def lesson_masker() -> Masker:
    return Masker(*lesson_passwords(resources.level6()))


def known_checks(part=None) -> dict:
    """{stage: (check id, ...)} of a part, or of every stage (no cluster needed)."""
    return REGISTRY.ids(part)


def judge(part: int = 1, lang: str = "en"):
    """The lesson's checks of a part as `lesson run`'s converge asks for them: a function of one Reader."""
    return lambda found: run_checks(found, None, lang, part)
