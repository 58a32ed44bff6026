"""What "read-only" means for a command sent to a student's node, and a backend that enforces it.

The checks and the dashboard reach nodes only through ReadOnlyNode: every shell
script is split into its simple commands and each must be a known reading
program (docker's inspect/ls/ps/logs verbs, a lookup or a ping inside a
container, find without -delete, ...), with no output redirected anywhere but
/dev/null. Anything else is refused before it leaves this machine.
"""

import shlex
from typing import Optional

from ..errors import WriteRefused
from ..transport.base import Node

DOCKER_READS = {
    "info",
    "version",
    "ps",
    "inspect",
    "logs",
    "images",
    "node ls",
    "node inspect",
    "node ps",
    "service ls",
    "service inspect",
    "service ps",
    "service logs",
    "network ls",
    "network inspect",
    "volume ls",
    "volume inspect",
    "stack ls",
    "stack ps",
    "stack services",
    "image ls",
    "image inspect",
    "container ls",
    "container inspect",
    "container logs",
    "system info",
}
DOCKER_GROUPS = ("node", "service", "network", "volume", "stack", "image", "container", "system", "swarm")
PLAIN_READS = {
    "echo",
    "printf",
    "true",
    "false",
    "test",
    "[",
    "cd",
    "sort",
    "sha256sum",
    "cat",
    "head",
    "tail",
    "grep",
    "cut",
    "tr",
    "wc",
    "hostname",
    "uname",
    "ss",
    "modinfo",
    "getent",
    "nslookup",
    "ping",
    "date",
    "id",
    "ls",
    "stat",
    "wait",
    "exit",
    "sleep",
}
IN_CONTAINER = {"getent", "nslookup", "ping", "echo", "true", "cat", "sh", "wait", "[", "test", "hostname"}
KEYWORDS = {"for", "in", "do", "done", "if", "then", "else", "elif", "fi", "while", "until", "{", "}", "!"}
SEPARATORS = {";", "&&", "||", "|", "&", "(", ")", "\n", ";;"}
FIND_WRITES = {"-delete", "-exec", "-execdir", "-ok", "-okdir", "-fprint", "-fprint0", "-fprintf", "-fls"}
IP_OBJECTS = {"link", "addr", "address", "route", "neigh", "neighbor", "-o", "-4", "-6", "-br", "show", "dev"}


def refusal(script: str, inside: bool = False) -> Optional[str]:
    """None when the script only reads, else the first command that would not."""
    try:
        commands = list(_simple_commands(script))
    except ValueError as err:
        return f"cannot be parsed ({err})"
    for words in commands:
        problem = _judge(words, inside)
        if problem:
            return problem
    return None


def _simple_commands(script: str):
    lexer = shlex.shlex(script.replace("$(", " ( "), posix=True, punctuation_chars=";&|()<>")
    lexer.whitespace = " \t\r"
    lexer.wordchars += "$=-/.:{}[]!*,@%+~^"
    words: list = []
    redirect = None
    for token in lexer:
        if redirect:
            duplicate = redirect.endswith("&") and (token.isdigit() or token == "-")
            if token != "/dev/null" and not duplicate:
                raise ValueError(f"redirection to or from {token}")
            redirect = None
            continue
        if token in (">", ">>", ">&", "&>", ">|", ">>&"):
            if words and words[-1].isdigit():
                words.pop()
            redirect = token
            continue
        if token in ("<", "<&"):
            redirect = token
            continue
        if token in SEPARATORS or token.strip() == "":
            if words:
                yield words
            words = []
            continue
        words.append(token)
    if redirect:
        raise ValueError("a redirect without a target")
    if words:
        yield words


def _judge(words: list, inside: bool) -> Optional[str]:
    while words and (words[0] in KEYWORDS or _assignment(words[0])):
        if words[0] == "for":
            return None  # `for x in a b`: the loop's words, not a command
        words = words[1:]
    if not words:
        return None
    program, args = words[0].rsplit("/", 1)[-1], words[1:]
    text = " ".join(words)
    if inside and program not in IN_CONTAINER:
        return f"`{text}` inside a container"
    if program == "timeout":
        rest = [w for w in args if not w.startswith("-")]
        return _judge(rest[1:], inside) if rest else None
    if program == "xargs":
        rest = [w for w in args if not w.startswith("-")]
        return _judge(rest, inside) if rest else None
    if program == "sh" and args[:1] == ["-c"] and len(args) > 1:
        return refusal(args[1], inside)
    if program == "docker":
        return _docker(args, text)
    if program == "find":
        return f"`{text}`" if FIND_WRITES & set(args) else None
    if program == "ip":
        return None if set(args) <= IP_OBJECTS | {a for a in args if not a.isalpha()} else f"`{text}`"
    if program in PLAIN_READS or (inside and program in IN_CONTAINER):
        return None
    return f"`{text}`"


def _assignment(word: str) -> bool:
    name, eq, _ = word.partition("=")
    return bool(eq) and name.isidentifier()


def _docker(args: list, text: str) -> Optional[str]:
    words = [w for w in args if not w.startswith("-")]
    if not words:
        return None
    verb = words[0]
    if verb in DOCKER_GROUPS and len(words) > 1:
        verb = f"{verb} {words[1]}"
    if verb == "exec":
        inner = _exec_command(args)
        return refusal(shlex.join(inner), inside=True) if inner else f"`{text}`"
    return None if verb in DOCKER_READS else f"`{text}`"


def _exec_command(args: list) -> list:
    """What `docker exec [options] CONTAINER COMMAND...` runs inside the container."""
    with_value = {"-e", "--env", "-u", "--user", "-w", "--workdir", "--env-file"}
    words: list = []
    skip = False
    for index, word in enumerate(args[1:], 1):
        if skip:
            skip = False
            continue
        if word in with_value:
            skip = True
            continue
        if word.startswith("-"):
            continue
        return args[index + 1 :]
    return words


class ReadOnlyNode(Node):
    """A node that refuses, before sending it, any command that is not a read."""

    def __init__(self, inner: Node):
        self.inner = inner
        self.name = inner.name

    def connect(self) -> "ReadOnlyNode":
        self.inner.connect()
        return self

    def _exec(self, command, on_out, on_err, timeout, stdin) -> int:
        problem = refusal(command)
        if problem:
            raise WriteRefused(f"refused on {self.name}, the checks only read: {problem}")
        return self.inner._exec(command, on_out, on_err, timeout, stdin)

    def put(self, local, remote) -> None:
        raise WriteRefused(f"refused on {self.name}, the checks only read: copying a file to {remote}")

    def close(self) -> None:
        self.inner.close()

    def address(self):
        return self.inner.address()
