"""The panel's changes on the Services tab (scale, update the image, remove), said before they are made.

A change is planned from the panel's last read of the cluster, so that its confirmation says what the lesson
would say of it (scaling php-fpm to 4 with `node.labels.fpm == true` on two nodes puts two on each; a count away
from the lesson's fails its replicas check until the stack is deployed again). Its values must fit the holes of
one of lesson.writes' templates and that read too (a service it saw, an image every node the service may run on
holds); the confirmed change is sent to the manager's agent signed for the user's session.
"""

from dataclasses import dataclass
from typing import Optional

from ... import i18n
from ...errors import WriteRefused
from ...lesson.spec import GATEWAY, PART2, PHP_FPM
from ...lesson.writes import REMOVE, SCALE, UPDATE_IMAGE
from ...state.templates import Template
from ...state.views import ManagerView

ACTIONS = ("scale", "image", "remove")
PANEL_SERVICES = ("portainer_portainer", "portainer_agent")


class Refused(ValueError):
    """A change the panel will not make, with the words that say why (shown on the page)."""


@dataclass(frozen=True)
class Plan:
    action: str
    service: str
    template: Template
    values: tuple
    said: str  # the confirmation, in the lesson's terms

    @property
    def command(self) -> str:
        return self.template.render(*self.values)


def choices(view: ManagerView, images: dict, name: str) -> list:
    """The images a service can be updated to without a registry: those every node its placement allows holds
    (every node, when none is allowed), its own first."""
    service = view.service(name)
    if service is None:
        return []
    nodes = [n.hostname for n in view.eligible_nodes(service)] or list(images)
    held = [set(images.get(node, ())) for node in nodes]
    common = sorted(set.intersection(*held)) if held else []
    return [service.image] + [image for image in common if image != service.image]


def spread(replicas: int, nodes: list, lang: str) -> str:
    """How swarm's scheduler spreads a service's replicas over the nodes it may use: evenly."""
    if not nodes:
        return i18n.tr("manage.nowhere", lang)
    low, extra = divmod(replicas, len(nodes))
    if extra == 0:
        return i18n.tr("manage.even", lang, count=low, nodes=", ".join(nodes))
    return i18n.tr("manage.uneven", lang, low=low, high=low + 1, nodes=", ".join(nodes))


def plan(view: Optional[ManagerView], images: dict, form: dict, lang: str) -> Plan:
    """The change the form asks for, with what it will do; Refused when it cannot be made."""
    if view is None:
        raise Refused(i18n.tr("manage.no_read", lang))
    action, name = form.get("action", ""), form.get("service", "")
    if action not in ACTIONS:
        raise Refused(i18n.tr("manage.no_action", lang, action=action[:40]))
    service = view.service(name)
    if service is None:
        raise Refused(i18n.tr("manage.no_service", lang, service=name[:128]))
    running = view.running_on(service)
    count = sum(len(tasks) for tasks in running.values())
    where = ", ".join(f"{node}={len(tasks)}" for node, tasks in sorted(running.items())) or "—"
    expected = next((s for s in PART2.services if s.name == name), None)  # the panel is part 2's
    if action == "scale":
        if service.mode != "replicated":
            raise Refused(i18n.tr("manage.global", lang, service=name))
        wanted = form.get("replicas", "").strip()
        values = _fitting(SCALE, (name, wanted))
        nodes = sorted(n.hostname for n in view.eligible_nodes(service))
        said = i18n.tr(
            "manage.scale",
            lang,
            service=name,
            old=service.replicas,
            new=wanted,
            constraints=" && ".join(service.constraints) or i18n.tr("manage.anywhere", lang),
            spread=spread(int(wanted), nodes, lang),
        )
        if expected is not None and expected.replicas is not None and int(wanted) != expected.replicas:
            said += " " + i18n.tr("manage.away", lang, wanted=expected.replicas, stack=service.stack or "")
        if name == PHP_FPM and service.endpoint_mode == "dnsrr":
            said += " " + i18n.tr("manage.dnsrr", lang, gateway=GATEWAY)
        return Plan(action, name, SCALE, values, said)
    if action == "image":
        image = form.get("image", "").strip()
        values = _fitting(UPDATE_IMAGE, (image, name))
        if image not in choices(view, images, name):
            raise Refused(i18n.tr("manage.no_image", lang, image=image[:255], service=name))
        update = service.spec.get("UpdateConfig") or {}
        key = "manage.restart" if image == service.image else "manage.image"
        said = i18n.tr(
            key,
            lang,
            service=name,
            image=image,
            count=count,
            parallelism=update.get("Parallelism") or 1,
            order=update.get("Order") or "stop-first",
        )
        return Plan(action, name, UPDATE_IMAGE, values, said + _panel_note(name, lang))
    values = _fitting(REMOVE, (name,))
    said = i18n.tr("manage.remove", lang, service=name, count=count, where=where, stack=service.stack or "—")
    if service.stack:
        said += " " + i18n.tr("manage.redeploy", lang, stack=service.stack)
    return Plan(action, name, REMOVE, values, said + _panel_note(name, lang))


def _fitting(template: Template, values: tuple) -> tuple:
    try:
        template.render(*values)
    except WriteRefused as err:
        raise Refused(str(err)) from None
    return values


def _panel_note(name: str, lang: str) -> str:
    return " " + i18n.tr(f"manage.self.{name}", lang) if name in PANEL_SERVICES else ""
