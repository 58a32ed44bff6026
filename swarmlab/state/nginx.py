"""What nginx's own error log says about the gateway's upstream, the lesson's php-fpm."""

import re
from typing import Optional

UPSTREAM = re.compile(r'upstream: "fastcgi://([\d.]+):')
# The lab's gateway stand-in says what it reloaded nginx with (recipes/gateway/swarmlab-gateway).
RELOADED = re.compile(r"swarmlab-gateway: upstream addresses changed \(.*-> ([\d. ]+)\): nginx -s reload")
RESTART = ("reconfiguring", "start worker process")


def upstreams(log_lines) -> set:
    """The php-fpm addresses nginx has tried since it last (re)started, from lines such as
    `connect() failed (113: No route to host) while connecting to upstream, ... upstream: "fastcgi://10.0.1.3:9000"`."""
    found: set = set()
    for line in log_lines:
        if any(sign in line for sign in RESTART):
            found.clear()
        match = UPSTREAM.search(line)
        if match:
            found.add(match.group(1))
    return found


def reloaded_with(log_lines) -> Optional[set]:
    """The php-fpm addresses the lab's gateway last reloaded nginx with, if its log still shows it."""
    found = None
    for line in log_lines:
        match = RELOADED.search(line)
        if match:
            found = set(match.group(1).split())
    return found
