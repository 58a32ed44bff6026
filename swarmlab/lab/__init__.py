"""The embedded lab: the local engine, the images built from Debian packages, and the nodes as containers."""

# Named here, without the Docker SDK, so that the CLI can offer them without importing the lab.
ENGINES = ("28.5", "20.10")  # the Docker Engine inside the nodes, as Debian forky and bookworm ship it
DEFAULT_ENGINE = ENGINES[0]
MAX_NODES = 5
