"""Files that ship inside the package: the lesson's folder, the default rubric, the image recipes.

Found with importlib.resources, so an installed wheel (`pip install .`, pipx)
works from any folder exactly as a checkout does.
"""

import os
from importlib.resources import files
from pathlib import Path


def _folder(package: str, name: str) -> Path:
    path = Path(str(files(package) / name))
    if not path.exists():
        raise FileNotFoundError(f"{name} is missing from the installed package {package}: reinstall swarmlab")
    return path


def level6() -> Path:
    """The lesson's folder; SWARMLAB_LEVEL6 points elsewhere (a student's or the author's own copy)."""
    return (
        Path(os.environ["SWARMLAB_LEVEL6"])
        if os.environ.get("SWARMLAB_LEVEL6")
        else _folder("swarmlab.lesson", "level6")
    )


def rubric(part: int = 1) -> Path:
    """The default rubric of the lesson's part."""
    return _folder("swarmlab.grading", "rubric.yaml" if part == 1 else f"rubric-part{part}.yaml")


def recipes() -> Path:
    return _folder("swarmlab.lab", "recipes")
