"""Masking secrets before anything is printed, stored in a notebook, a report or a log.

Join tokens are recognised by their shape; passwords are learnt from the
lesson's own files (the DB password in storage.yaml), so a changed password is
masked too.
"""

import re
from pathlib import Path

from ruamel.yaml import YAML

MASK = "********"
TOKEN = re.compile(r"SWMTKN-1-[0-9a-z]+-[0-9a-z]+")
PRIVATE_KEY = re.compile(r"-----BEGIN [A-Z ]*PRIVATE KEY-----.*?-----END [A-Z ]*PRIVATE KEY-----", re.S)


class Masker:
    def __init__(self, *secrets: str):
        self.secrets = {s for s in secrets if s}

    def add(self, secret: str) -> None:
        if secret:
            self.secrets.add(secret)

    def __call__(self, text: str) -> str:
        text = PRIVATE_KEY.sub("-----PRIVATE KEY " + MASK + "-----", TOKEN.sub("SWMTKN-1-" + MASK, text))
        for secret in sorted(self.secrets, key=len, reverse=True):
            text = text.replace(secret, MASK)
        return text


def lesson_passwords(level6: Path) -> list:
    """The passwords the lesson's compose files set (MYSQL_ROOT_PASSWORD and friends)."""
    found = []
    for path in sorted(level6.glob("lemp*/compose/*.yaml")):
        data = YAML(typ="safe").load(path.read_text()) or {}
        for service in (data.get("services") or {}).values():
            env = service.get("environment") or {}
            items = env.items() if isinstance(env, dict) else (e.split("=", 1) for e in env if "=" in e)
            found += [str(v) for k, v in items if "PASSWORD" in k and v]
    return found
