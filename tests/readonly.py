"""What "read-only" means for commands run on a student's node: one definition for every suite."""

import re
import shlex

READ_ONLY_DOCKER = {"info", "ps", "inspect", "node ls", "node inspect", "service ls", "service inspect",
                    "service ps", "service logs", "network ls", "network inspect", "volume ls"}
READ_ONLY_IN_CONTAINERS = {"getent", "nslookup", "ping", "echo", "true"}
DOCKER_CALL = re.compile(r"\bdocker\s+(?!-)(\w+)(?:\s+(?!-)(\w+))?")


def docker_calls(command: str):
    """Every `docker VERB [SUBVERB]` a shell command would run, and what `docker exec` runs inside."""
    for match in DOCKER_CALL.finditer(command):
        verb, sub = match.group(1), match.group(2)
        if verb == "exec":
            words = [w for w in shlex.split(command[match.start(1) + len("exec"):]) if not w.startswith("-")]
            _, program = (words + ["", ""])[:2]
            if program == "sh" and len(words) > 2:
                for segment in re.split(r";|&&|\|\||\|", words[2]):
                    yield "exec", (segment.split() or ["true"])[0]
            else:
                yield "exec", program
        elif verb in ("node", "service", "network", "volume", "stack"):
            yield f"{verb} {sub}", None
        else:
            yield verb, None


def assert_read_only(command: str):
    calls = list(docker_calls(command))
    assert calls, f"not a docker read: {command!r}"
    for verb, inner in calls:
        if verb == "exec":
            assert inner in READ_ONLY_IN_CONTAINERS, command
        else:
            assert verb in READ_ONLY_DOCKER, command
