"""The lesson's checks, one module per stage: `pytest --pyargs swarmlab.checks --inventory F -m STAGE`."""
