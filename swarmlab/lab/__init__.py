"""The embedded lab: the local engine, the images built from Debian packages, and the nodes as containers."""
