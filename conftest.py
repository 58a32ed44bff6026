"""pytest in a checkout: `pytest checks/ --inventory F` runs the lesson's check suites (checks/ is a link to
swarmlab/checks, as level6/ is to the lesson's files), and `pytest tests/` the harness's own tests.

The checks' plugin comes with the installed package (its pytest11 entry point, named as the module is, so pytest
loads it once); a checkout used without installing swarmlab gets it from here.
"""

pytest_plugins = ["swarmlab.frontends.pytest_plugin"]
