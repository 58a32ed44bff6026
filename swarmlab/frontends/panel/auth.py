"""The panel's one admin user and its sessions, as Portainer asks for them: created on the first visit, a
password of at least 12 characters, a login form afterwards.

Only a salted scrypt hash is kept (in /data, the portainer_data volume, so the
user outlives the container); sessions live in memory, so a restarted panel
asks to log in again. Each session has a token of its own that every form of
its pages carries (the cookie alone, however same-site, makes no change), and a
tag (a hash of the cookie) that names it in the agents' logs of who changed what.
"""

import hashlib
import hmac
import json
import os
import re
import secrets
import threading
import time
import unicodedata
from pathlib import Path
from typing import Optional

MIN_PASSWORD = 12
USERNAME = re.compile(r"[\w.-]{1,64}")
SESSION_SECONDS = 8 * 3600
SCRYPT = {"n": 2**14, "r": 8, "p": 1}


def _name(username: str) -> str:
    """A name as it is kept and compared: of any script's letters (a Russian class writes its own), in one Unicode
    form (NFC), so that a name typed another way is the same name; compared as bytes, so that any name given is
    only a right or a wrong one."""
    return unicodedata.normalize("NFC", username or "")


def _hash(password: str, salt: bytes, params: dict) -> bytes:
    return hashlib.scrypt(password.encode(), salt=salt, n=params["n"], r=params["r"], p=params["p"], dklen=32)


class Users:
    def __init__(self, data: Path):
        self.path = data / "admin.json"
        self._lock = threading.Lock()
        self._sessions: dict = {}

    def exists(self) -> bool:
        return self.path.is_file()

    def problem(self, username: str, password: str, confirm: str) -> Optional[str]:
        """Why these cannot make the admin user (a word key of the page), or None."""
        if not USERNAME.fullmatch(_name(username)):
            return "bad_username"
        if len(password or "") < MIN_PASSWORD:
            return "short_password"
        if password != confirm:
            return "mismatch"
        return None

    def create(self, username: str, password: str) -> bool:
        """False when an admin exists already: the first visitor's user is the only one."""
        salt = secrets.token_bytes(16)
        record = {
            "username": _name(username),
            "kdf": "scrypt",
            **SCRYPT,
            "salt": salt.hex(),
            "hash": _hash(password, salt, SCRYPT).hex(),
            "created": int(time.time()),
        }
        with self._lock:
            if self.exists():
                return False
            self.path.parent.mkdir(parents=True, exist_ok=True)
            partial = self.path.with_suffix(".partial")
            with open(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "w") as out:
                json.dump(record, out)
            partial.replace(self.path)
        return True

    def verify(self, username: str, password: str) -> bool:
        try:
            record = json.loads(self.path.read_text())
        except (OSError, ValueError):
            return False
        wanted = bytes.fromhex(record["hash"])
        given = _hash(password or "", bytes.fromhex(record["salt"]), record)
        named = hmac.compare_digest(_name(username).encode(), str(record["username"]).encode())
        return hmac.compare_digest(given, wanted) and named

    def start(self, username: str) -> str:
        token = secrets.token_urlsafe(32)
        with self._lock:
            self._sessions[token] = (username, time.monotonic() + SESSION_SECONDS, secrets.token_urlsafe(32))
        return token

    def _live(self, token: Optional[str]) -> Optional[tuple]:
        with self._lock:
            found = self._sessions.get(token or "")
            if found is None:
                return None
            if found[1] < time.monotonic():
                del self._sessions[token]
                return None
            return found

    def user(self, token: Optional[str]) -> Optional[str]:
        found = self._live(token)
        return found[0] if found else None

    def form_token(self, token: Optional[str]) -> Optional[str]:
        """The token the session's forms carry; None without a live session."""
        found = self._live(token)
        return found[2] if found else None

    def carries(self, token: Optional[str], given: Optional[str]) -> bool:
        """Whether a form sent with this session's cookie carries its token."""
        wanted = self.form_token(token)
        return wanted is not None and isinstance(given, str) and hmac.compare_digest(wanted.encode(), given.encode())

    @staticmethod
    def tag(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()[:12]

    def end(self, token: Optional[str]) -> None:
        with self._lock:
            self._sessions.pop(token or "", None)
