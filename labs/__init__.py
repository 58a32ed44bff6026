"""swarmlab: a teaching lab and verification harness for the Docker Swarm lesson."""

__version__ = "0.1.0"
