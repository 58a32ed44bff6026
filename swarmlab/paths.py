"""Where swarmlab keeps what outlives one command: lab inventories, keys, engine log.

One folder per machine (not per checkout) so that `make demo`'s lab and the test
suite's labs see each other and never collide; SWARMLAB_STATE moves it.
"""

import os
from pathlib import Path


def state_dir() -> Path:
    path = Path(os.environ.get("SWARMLAB_STATE") or Path.home() / ".local" / "state" / "swarmlab")
    path.mkdir(parents=True, exist_ok=True)
    return path


def lab_dir(name: str) -> Path:
    return state_dir() / "labs" / name


def default_inventory(name: str = "swarmlab") -> Path:
    return lab_dir(name) / "inventory.yaml"
