"""Masking secrets before anything is printed, stored in a notebook, a report or a log.

Join tokens are recognised by their shape; passwords are learnt from the
lesson's own files (the DB password in storage.yaml), so a changed password is
masked too.
"""

import re
from pathlib import Path

from ruamel.yaml import YAML

MASK = "********"
# A token may arrive cut (a log line's end), its second part missing: the first part is a secret already.
TOKEN = re.compile(r"SWMTKN-1-[0-9a-z]+(?:-[0-9a-z]*)?")
PRIVATE_KEY = re.compile(r"-----BEGIN [A-Z ]*PRIVATE KEY-----(?:.*?-----END [A-Z ]*PRIVATE KEY-----|.*\Z)", re.S)
# A value given to a secret-looking name (MYSQL_ROOT_PASSWORD=..., LEMP_AGENT_SECRET=...), in an environment, a
# command line or a compose file: masked whoever's secret it is.
ASSIGNED = re.compile(r"\b([A-Z0-9_]*(?:PASSWORD|SECRET|TOKEN)[A-Z0-9_]*=)([^\s\"',;]+)")
PIECE = 4  # the shortest piece of a secret, left at a cut, that is still masked (and at least half of it)
WORDLIKE = 6  # a secret shorter than this is masked only as a whole word ("1234" inside "512345" is not it)


class Masker:
    """Replaces every secret it knows with ********: whole, split across lines (a wrapped terminal line, a log
    line cut in two), or cut (a line shortened for a report keeps a piece of it at its end, a window of a log
    starts with a piece of it)."""

    def __init__(self, *secrets: str):
        self.secrets = set()
        self._pattern = None
        for secret in secrets:
            self.add(secret)

    def add(self, secret: str) -> None:
        if secret and secret not in self.secrets:
            self.secrets.add(secret)
            self._pattern = None

    def _compiled(self):
        if self._pattern is None:
            forms = []
            for secret in sorted(self.secrets, key=len, reverse=True):
                split = r"(?:\r?\n[ \t]*)?".join(re.escape(c) for c in secret)
                forms.append(split if len(secret) >= WORDLIKE else rf"(?<![\w-]){split}(?![\w-])")
            self._pattern = re.compile("|".join(forms)) if forms else None
        return self._pattern

    def __call__(self, text: str) -> str:
        text = shaped(text)
        pattern = self._compiled()
        if pattern is None:
            return text
        return "\n".join(self._edges(line) for line in pattern.sub(MASK, text).split("\n"))

    def _edges(self, line: str) -> str:
        """A line that ends with most of a secret's start, or starts with most of its end, was cut through it."""
        for secret in self.secrets:
            if len(secret) < WORDLIKE:
                continue
            shortest = max(PIECE, (len(secret) + 1) // 2)
            for size in range(len(secret) - 1, shortest - 1, -1):
                if line.endswith(secret[:size]):
                    line = line[:-size] + MASK
                    break
            for size in range(len(secret) - 1, shortest - 1, -1):
                if line.startswith(secret[-size:]):
                    line = MASK + line[size:]
                    break
        return line


def shaped(text: str) -> str:
    """The secrets known by their shape masked: join tokens, private keys, values of secret-looking names."""
    text = PRIVATE_KEY.sub("-----PRIVATE KEY " + MASK + "-----", TOKEN.sub("SWMTKN-1-" + MASK, text))
    return ASSIGNED.sub(lambda found: found.group(1) + MASK, text)


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
