"""A lab's definition, as kind reads a cluster's config: its nodes, their engine and the images they run.

The course needs two labs, the lesson's three nodes and the homework's one; labs/ in a checkout holds both, and
`swarmlab lab up --config FILE` reads either (or a student's own). Options given beside --config win over the
file, so a definition is a starting point, not a second set of rules. Only these four fields exist: a typo is
refused, not ignored, since a lab silently built with defaults is the mistake the file is there to prevent.
"""

from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from .. import yamlfile
from ..errors import UsageError
from . import DEFAULT_ENGINE, ENGINES, MAX_NODES

IMAGES = ("lab", "upstream")


@dataclass(frozen=True)
class Definition:
    name: Optional[str] = None  # the lab's name; --lab's default when absent
    nodes: int = 3
    engine: str = DEFAULT_ENGINE
    images: str = "lab"


def load(path: Path) -> Definition:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise UsageError(
            f"{path}: cannot read the lab definition ({err.__class__.__name__}): give a YAML file"
        ) from None
    document = yamlfile.load(text, path, UsageError)
    if not isinstance(document, dict):
        raise UsageError(f"{path}: a lab definition is a mapping of name, nodes, engine and images")
    unknown = sorted(set(map(str, document)) - {"name", "nodes", "engine", "images"})
    if unknown:
        raise UsageError(f"{path}: unknown field {unknown[0]!r}: a lab definition has name, nodes, engine and images")
    name, nodes = document.get("name"), document.get("nodes", 3)
    engine, images = str(document.get("engine", DEFAULT_ENGINE)), document.get("images", "lab")
    if name is not None and not (isinstance(name, str) and name):
        raise UsageError(f"{path}: name must be a lab's name (text), not {name!r}")
    if isinstance(nodes, bool) or not isinstance(nodes, int) or not 1 <= nodes <= MAX_NODES:
        raise UsageError(f"{path}: nodes must be a whole number from 1 to {MAX_NODES}, not {nodes!r}")
    if engine not in ENGINES:
        raise UsageError(f"{path}: engine {engine} is not one the lab offers: use one of {', '.join(ENGINES)}")
    if images not in IMAGES:
        raise UsageError(f"{path}: images must be {' or '.join(IMAGES)}, not {images!r}")
    return Definition(name=name, nodes=nodes, engine=engine, images=images)
