"""`swarmlab engine start|stop`: the local Docker engine the lab runs on."""

from ... import ui
from ...lab import engine
from .base import Command, Group


class Start(Command):
    name, help = "start", "install and start dockerd if none answers"

    def run(self, args) -> int:
        ui.info(f"Docker engine {engine.connect().version()['Version']} answers")
        return 0


class Stop(Command):
    name, help = "stop", "stop the dockerd that swarmlab started"

    def run(self, args) -> int:
        ui.info("stopped the engine swarmlab started" if engine.stop() else "no engine started by swarmlab runs")
        return 0


class Engine(Group):
    name, help = "engine", "the local Docker engine the lab runs on"
    commands = (Start(), Stop())


COMMAND = Engine()
