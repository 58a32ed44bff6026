"""What a check says when it does not pass: a key, its words in each language, and the lesson step that fixes it.

A key names one kind of failure (`stacks.replicas`); its message (what is wrong, naming the node) and its hint
(what to do, in the lesson's own commands) are the words `<key>` and `<key>.hint` of each language module
(swarmlab/i18n), their placeholders filled from the evidence the check found. The step that fixes it is its
family's (`stacks.*`: deploy) unless STEPS says otherwise.
"""

from typing import Optional

from .. import i18n

FAMILY_STEPS = {
    "init": "init",
    "join": "join",
    "network": "network",
    "sync": "sync",
    "stacks": "deploy",
    "vip": "deploy",
    "connectivity": "network",
    "pages": "deploy",
    "teardown": "teardown",
    "labels": "labels",
    "placement": "deploy",
    "panel": "deploy",
}
STEPS: dict = {
    "pages.status": "seed_data",
    "pages.no_posts": "seed_data",
    "pages.differ": "seed_data",
    "diagnose.bind_source": "sync",
    "diagnose.image_missing": "deploy",
    "diagnose.task_exits": "deploy",
    "diagnose.port_busy": "deploy",
    "diagnose.port_taken": "deploy",
    "diagnose.constraint": "labels",
    "diagnose.constraint_key": "labels",
    "diagnose.no_node_available": "join",
    "diagnose.db_unhealthy": "deploy",
    "diagnose.db_not_started": "deploy",
    "diagnose.gossip": "network",
    "diagnose.vxlan": "network",
    "diagnose.vxlan_pairs": "network",
    "diagnose.mtu": "network",
    "diagnose.node_down": "join",
    "diagnose.stale_upstream": "deploy",
    "diagnose.no_ipvs": "deploy",
    "diagnose.ingress_no_ipvs": "deploy",
    "diagnose.db_password": "deploy",
    "diagnose.db_moved": "deploy",
    "diagnose.cloned": "join",
    "diagnose.shared_address": "join",
    "diagnose.advertise_unreachable": "join",
    "diagnose.two_cards": "init",
    "diagnose.clock": "join",
    "diagnose.overlap": "network",
    "diagnose.api_too_old": "deploy",
    "diagnose.nftables": "init",
    "blocked.page": "deploy",
    "blocked.unreachable": None,
    "blocked.unreadable": None,
    "blocked.no_docker": "init",
    "blocked.no_swarm": "init",
    "blocked.service": "deploy",
    "blocked.network": "network",
    "blocked.no_task": "deploy",
    "blocked.no_gateway_on": "deploy",
    "blocked.db_unhealthy": "deploy",
    "blocked.one_php_node": "deploy",
    "blocked.overlay": "network",
    "blocked.template": "deploy",
    "blocked.no_small_pings": "network",
    "not_applicable.one_node": None,
    "error": None,
}


def known(key: str) -> bool:
    return all(key in words and f"{key}.hint" in words for words in i18n.WORDS.values())


def step(key: str) -> Optional[str]:
    return STEPS[key] if key in STEPS else FAMILY_STEPS.get(key.split(".")[0])


def render(key: str, lang: str, params: dict) -> tuple:
    """(message, hint) of a key in one language."""
    return i18n.tr(key, lang, **params), i18n.tr(f"{key}.hint", lang, **params)


def title(check_id: str, lang: str) -> str:
    return i18n.WORDS[lang].get(f"title.{check_id}") or check_id.replace("_", " ")
