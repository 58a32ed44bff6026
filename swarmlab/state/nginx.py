"""What nginx's own error log says about the gateway's upstream, the lesson's php-fpm."""

import re

UPSTREAM = re.compile(r'upstream: "fastcgi://([\d.]+):')
RESTART = ("reconfiguring", "start worker process")


def upstreams(log_lines) -> set:
    """The php-fpm addresses nginx has tried since it last (re)started, from lines such as
    `connect() failed (113: No route to host) while connecting to upstream, ... upstream: "fastcgi://10.0.1.3:9000"`."""
    found = set()
    for line in log_lines:
        if any(sign in line for sign in RESTART):
            found.clear()
        match = UPSTREAM.search(line)
        if match:
            found.add(match.group(1))
    return found
