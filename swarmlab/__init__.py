"""swarmlab: a teaching lab and verification harness for the Docker Swarm lesson.

Layers, each importing only those before it (held by import-linter's contracts in pyproject.toml):
transport (reaching nodes) → state (reading them) → lesson (what it teaches, and the commands that change a
cluster) → checking (the registry, facts, diagnoses, runner) → checks (the lesson's checks) → grading →
frontends (the CLI, the notebooks' magics, the pytest plugin, the dashboard and the panel); lab (the embedded
nodes) beside them, used by the front ends only.
"""

__version__ = "0.3.0"


def load_ipython_extension(ipython):
    """`%load_ext swarmlab` in a notebook: the lesson's magics (%cluster, %%node, %join, %check, ...). Imported
    here, not at the top, so that `import swarmlab` does not import IPython."""
    from .frontends.magics import load_ipython_extension as load

    load(ipython)
