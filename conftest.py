"""pytest set-up shared by the harness's tests (tests/) and the lesson's checks (checks/).

`pytest checks --inventory FILE [-m STAGE]` works on its own, with the same
ordering, blocking and hints as `swarmlab check`.
"""

from labs.checking import LANGS, PLUGIN_NAME, STAGES, Collector


def pytest_addoption(parser):
    group = parser.getgroup("swarmlab")
    group.addoption("--inventory", help="inventory of the cluster to check (default: the embedded lab's)")
    group.addoption("--lang", choices=LANGS, default="ru", help="language of messages and hints (default: ru)")
    group.addoption("--accept-new-host-keys", action="store_true", help="record host keys met for the first time")
    group.addoption("--record-commands", help="write every command run on a node to this file (JSON lines)")


def pytest_configure(config):
    for stage in STAGES:
        config.addinivalue_line("markers", f"{stage}: lesson stage {stage}")
    if not any(isinstance(p, Collector) for p in config.pluginmanager.get_plugins()):
        config.pluginmanager.register(Collector(config.getoption("--lang")), PLUGIN_NAME)
