"""swarmlab: a teaching lab and verification harness for the Docker Swarm lesson.

Layers, each importing only those before it:
transport (reaching nodes) → state (reading them) → lesson (what it teaches, and the commands that change a
cluster) → checking → grading; lab (the embedded nodes) and frontends (CLI, notebook magics, dashboard) on top.
"""

__version__ = "0.2.0"


def load_ipython_extension(ipython):
    """`%load_ext swarmlab` in a notebook: the lesson's magics (%cluster, %%node, %join, %check, ...)."""
    from .frontends.magics import load_ipython_extension as load

    load(ipython)
