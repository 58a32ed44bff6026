"""Fetching a node's page from where the student's browser would: this machine, over HTTP.

A failed fetch becomes a kind that a student understands (nothing listens on
port 80, no answer at all, an answer that never finishes), never a library's
exception text.
"""

import requests
import urllib3

urllib3.disable_warnings(urllib3.exceptions.InsecureRequestWarning)


class FetchFailed(Exception):
    """`kind`: refused, no-answer, slow-answer, reset, unreachable or unknown-host."""

    KINDS = ("refused", "no-answer", "slow-answer", "reset", "unreachable", "unknown-host")

    def __init__(self, kind: str):
        super().__init__(kind)
        self.kind = kind


class Browser:
    def get(
        self, node: str, address: str, path: str = "/", timeout: float = 5, scheme: str = "http", port=None
    ) -> tuple:
        """(HTTP status, body) of scheme://address[:port]/path, decoded as the lesson's pages are written.

        HTTPS is not verified: the panel's certificate is self-signed, as the lesson's Portainer's is."""
        where = f"{address}:{port}" if port else address
        try:
            answer = requests.get(f"{scheme}://{where}{path}", timeout=timeout, verify=False)
        except requests.ConnectTimeout:
            raise FetchFailed("no-answer") from None
        except (requests.ReadTimeout, requests.exceptions.ChunkedEncodingError):
            raise FetchFailed("slow-answer") from None
        except requests.ConnectionError as err:
            raise FetchFailed(_kind(err)) from None
        if "charset" not in answer.headers.get("content-type", ""):
            answer.encoding = "utf-8"
        return answer.status_code, answer.text


def key(path: str, scheme: str = "http", port=None) -> str:
    """How a recording names a page: its path, prefixed by scheme and port unless plain http."""
    return path if scheme == "http" and port is None else f"{scheme}:{port or ''}{path}"


def _kind(err: requests.ConnectionError) -> str:
    text = str(err)
    if "Connection refused" in text:
        return "refused"
    if "Connection reset" in text or "RemoteDisconnected" in text or "Connection aborted" in text:
        return "reset"
    if "Name or service not known" in text or "nodename nor servname" in text or "Temporary failure in name" in text:
        return "unknown-host"
    return "unreachable"
