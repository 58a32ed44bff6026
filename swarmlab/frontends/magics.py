"""IPython magics for the lesson's notebooks: `%load_ext swarmlab`.

A notebook cell should read like the lesson's bash block and run on the node
the lesson names, so `%%node manager` sends the cell to that node over the same
SSH connection the rest of swarmlab uses. Everything a magic prints goes
through the lesson's Masker first: notebooks are stored and shared, and a join
token or the DB password must never end up in one. Every failure raises
CellFailed, a one-line error that nbval still sees as a failed cell, so CI
fails when a notebook's commands or its final `%check` fail.
"""

import codecs
import html
import os
import re
import secrets
import shlex
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import Optional

from IPython.core.magic import Magics, line_cell_magic, line_magic, magics_class, no_var_expand
from IPython.display import HTML, Image, display
from rich.console import Console

from .. import i18n, resources, ui
from ..checking import answers as answer_file
from ..checking.questions import asked, swarm_of, title
from ..checking.reports import TextReport
from ..checking.results import summary
from ..checks import QUESTIONS, judge_answer, run_checks
from ..errors import SwarmlabError
from ..lab.lab import Lab
from ..lesson.driver import Lesson
from ..lesson.spec import PART_STAGES, STAGES, reader
from ..lesson.steps import StepResult
from ..secrets import Masker, lesson_passwords
from ..state import reads
from ..state.pages import Page
from ..state.pages import parse as parse_page
from ..transport import inventory
from ..transport.cluster import Cluster
from ..transport.factory import Access, Source, open_cluster
from ..transport.web import Answer, FetchFailed
from ..waiting import until
from .panel.tour import scale, tour

LAB_ENV = "SWARMLAB_LAB"
INVENTORY_ENV = "SWARMLAB_INVENTORY"
PROFILE = "/etc/profile.d/swarmlab.sh"
WAIT_TIMEOUT = 240


def tr(key: str, **params) -> str:
    """The magics' words, in the notebook's language ($SWARMLAB_LANG, else the lesson's Russian)."""
    return i18n.tr(f"magic.{key}", i18n.chosen(), **params)


class CellFailed(Exception):
    """Shown as its message alone: the student needs the problem and the fix, not swarmlab's stack."""

    def _render_traceback_(self):
        return [f"\x1b[31m{self}\x1b[0m"]


class MaskedLines:
    """Remote output, masked a whole line at a time so that a secret split across two SSH reads is still caught.

    A private key spans lines, so an unfinished one is held back until its END line arrives.
    """

    def __init__(self, out, mask: Masker):
        self.out = out
        self.mask = mask
        self.pending = ""
        self.decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")

    def write(self, data: bytes) -> None:
        self.pending += self.decoder.decode(data)
        end = self.pending.rfind("\n") + 1
        ready, self.pending = self.pending[:end], self.pending[end:]
        start = ready.rfind("-----BEGIN ")
        if start != -1 and "-----END " not in ready[start:]:
            ready, self.pending = ready[:start], ready[start:] + self.pending
        if ready:
            self.out.write(self.mask(ready))

    def flush(self) -> None:
        self.out.flush()

    def close(self) -> None:
        rest = self.pending + self.decoder.decode(b"", final=True)
        self.pending = ""
        if rest:
            self.out.write(self.mask(rest))
        self.out.flush()


class Session:
    """The cluster the notebook works on, chosen once by `%cluster` and reused by every magic."""

    def __init__(self):
        self.cluster: Optional[Cluster] = None
        self.mask = Masker(*lesson_passwords(resources.level6()))
        self.panel_password: Optional[str] = None  # the panel's admin %panel made: in this kernel's memory only

    def require(self) -> Cluster:
        if self.cluster is None:
            raise CellFailed(tr("no_cluster"))
        return self.cluster

    def use(self, inv: inventory.Inventory, accept_new_host_keys: bool = False) -> Cluster:
        if self.cluster is not None:
            self.cluster.close()
        self.cluster = open_cluster(Source(nodes=inv), Access(accept_new_host_keys=accept_new_host_keys))
        return self.cluster


session = Session()


def _failures(fn):
    """Turn swarmlab's own errors into one-line cell failures."""

    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except SwarmlabError as err:
            raise CellFailed(session.mask(str(err))) from None

    wrapper.__name__, wrapper.__doc__ = fn.__name__, fn.__doc__
    return wrapper


def _words(line: str, usage: str, at_least: int = 0) -> list:
    try:
        words = shlex.split(line)
    except ValueError as err:
        raise CellFailed(f"{usage}: {err}") from None
    if len(words) < at_least:
        raise CellFailed(tr("missing", usage=usage))
    return words


def _option(words: list, name: str, usage: str) -> Optional[str]:
    if name not in words:
        return None
    index = words.index(name)
    if index + 1 >= len(words):
        raise CellFailed(tr("no_value", name=name, usage=usage))
    value = words[index + 1]
    del words[index : index + 2]
    return value


def _script(body: str) -> str:
    """The cell as one bash script: the lab's LEMP_* variables, and a failing command stops it (set -e)."""
    return f"[ ! -r {PROFILE} ] || . {PROFILE}\nset -eo pipefail\n{body}"


def _bash(script: str) -> str:
    return "bash -c " + shlex.quote(script)


def _get(node: str, path: str, timeout: float = 5) -> Answer:
    """The page's answer as a browser on this machine would get it, redirects not followed."""
    cluster = session.require()
    cluster.inventory.node(node)
    try:
        return cluster.page(node, path, timeout=timeout)
    except FetchFailed as failed:
        why = i18n.tr(f"fetch.{failed.kind}", i18n.chosen())
        raise CellFailed(tr("page_failed", node=node, path=path, why=why)) from None


@_failures
def fetch(node: str, path: str = "/", timeout: float = 5) -> Page:
    """The page on `node` as the lesson reads it (Хост - ..., the posts), for notebook cells in Python."""
    return parse_page(*_get(node, path, timeout))


@magics_class
class LessonMagics(Magics):
    @line_magic
    @_failures
    def cluster(self, line):
        """%cluster [INVENTORY] [--nodes 1] [--accept-new-host-keys]: the embedded lab (brought up if absent) or
        your VMs.

        Without INVENTORY: $SWARMLAB_INVENTORY if set, else the lab named $SWARMLAB_LAB (default swarmlab).
        --nodes 1 is the homework's one-node cluster: a lab of its own, named after the usual one with -1node.
        """
        usage = "%cluster [INVENTORY] [--nodes 1] [--accept-new-host-keys]"
        words = _words(line, usage)
        accept = "--accept-new-host-keys" in words
        words = [w for w in words if w != "--accept-new-host-keys"]
        nodes = _option(words, "--nodes", usage) or "3"
        if nodes not in ("1", "3") or len(words) > 1:
            raise CellFailed(tr("arguments", given=repr(line.strip()), usage=usage))
        path = words[0] if words else (os.environ.get(INVENTORY_ENV) if nodes == "3" else None)
        if path:
            inv = inventory.load(path)
            where = tr("inventory", path=path)
        else:
            name = os.environ.get(LAB_ENV) or "swarmlab"
            lab = Lab(name if nodes == "3" else f"{name}-1node")
            if not lab.is_complete():
                print(tr("lab_starting", lab=lab.name, nodes=nodes), flush=True)
            inv = lab.up(nodes=int(nodes), exist_ok=True)
            where = tr("lab", lab=lab.name)
        cluster = session.use(inv, accept)
        unreachable = [
            str(err) for err in cluster.map(lambda n: cluster.node(n).connect()).values() if isinstance(err, Exception)
        ]
        if unreachable:
            raise CellFailed("; ".join(unreachable))
        print(tr("cluster", where=where, nodes=", ".join(inv.names), manager=inv.manager.name))

    @line_cell_magic
    @no_var_expand
    @_failures
    def node(self, line, cell=None):
        """%%node NODE [--env NAME ...]: run the cell on NODE as one bash script, streaming its output.

        --env NAME passes the notebook's Python variable NAME to the script as $NAME.
        As a line magic, `value = %node NODE COMMAND` returns the command's output instead of printing it.
        """
        cluster = session.require()
        if cell is None:
            node, _, command = line.strip().partition(" ")
            if not node or not command.strip():
                raise CellFailed(tr("missing", usage="%node NODE COMMAND"))
            done = cluster.run(node, _bash(_script(command)), timeout=600)
            if done.stderr:
                sys.stderr.write(session.mask(done.stderr))
            if not done.ok:
                raise CellFailed(tr("command_failed", node=node, status=done.exit_status))
            return session.mask(done.stdout).strip()
        usage = "%%node NODE [--env NAME ...]"
        words = _words(line, usage, at_least=1)
        node, exports = words[0], []
        rest = words[1:]
        while rest:
            name = _option(rest, "--env", usage)
            if name is None:
                raise CellFailed(tr("arguments", given=rest, usage=usage))
            if not name.isidentifier():
                raise CellFailed(tr("env_name", name=name))
            if name not in self.shell.user_ns:
                raise CellFailed(tr("env_missing", name=name))
            exports.append(f"{name}={shlex.quote(str(self.shell.user_ns[name]))}")
        body = "".join(f"export {e}\n" for e in exports) + cell
        out, err = MaskedLines(sys.stdout, session.mask), MaskedLines(sys.stderr, session.mask)
        try:
            status = cluster.node(node).stream(_bash(_script(body)), stdout=out, stderr=err, timeout=1800)
        finally:
            out.close()
            err.close()
        if status != 0:
            raise CellFailed(tr("cell_failed", node=node, status=status))

    @line_magic
    @_failures
    def join(self, line):
        """%join WORKER ...: `docker swarm join` on each worker, the token moving over SSH without being shown.

        The lesson copies the token from `docker swarm init`'s output; a stored notebook must not show it,
        so it goes from the manager to the worker on the join command's stdin.
        """
        lesson = Lesson(session.require())
        for worker in _words(line, "%join WORKER [WORKER ...]", at_least=1):
            lesson.inventory.node(worker)
            if lesson.info(worker).swarm == "active":
                print(tr("joined_already", worker=worker))
                continue
            manager = lesson.info(lesson.manager)
            if not manager.is_manager:
                raise CellFailed(tr("not_manager", manager=lesson.manager))
            print(
                f"{worker}$ docker swarm join --token {session.mask(lesson.admin.join_token())} {manager.manager_addr}"
            )
            lesson.admin.join(worker, manager.manager_addr)
            print(lesson.admin.ran[-1].output)
            lesson.wait_ready([worker])

    @line_magic
    @_failures
    def lesson(self, line):
        """%lesson STEP [--part 2]: one step of the lesson driver (sync, labels, teardown, ...), for what has no
        one-line command."""
        usage = "%lesson STEP [--part 2]"
        words = _words(line, usage, at_least=1)
        part = _option(words, "--part", usage) or "1"
        if len(words) != 1 or part not in ("1", "2"):
            raise CellFailed(tr("one_step", usage=usage, given=line.strip()))
        result = Lesson(session.require(), part=int(part)).step(words[0])
        print(session.mask(f"{result.step}: {result.summary}"))

    @line_magic
    @_failures
    def wait(self, line):
        """%wait SERVICE ... [--failed] [--overlay] [--timeout S]: until each service runs all its tasks (or, with
        --failed, until its tasks have failed on every node they were placed on), read on the manager; with
        --overlay, then until every gateway resolves php-fpm's tasks and reaches them on the other nodes (the
        overlay's NetworkDB converges by gossip, not at once).
        """
        usage = "%wait SERVICE ... [--failed] [--overlay] [--timeout S]"
        words = _words(line, usage, at_least=1)
        timeout = _option(words, "--timeout", usage) or str(WAIT_TIMEOUT)
        if not timeout.replace(".", "", 1).isdigit():
            raise CellFailed(tr("seconds", timeout=timeout, usage=usage))
        failed, overlay = "--failed" in words, "--overlay" in words
        services = [w for w in words if w not in ("--failed", "--overlay")]
        cluster = session.require()
        report = {}

        def settled():
            view = reads.read_manager(cluster)
            for name in services:
                service = view.service(name)
                if service is None:
                    report[name] = tr("not_deployed", service=name)
                    return False
                said = _failing(view, service) if failed else None
                report[name] = said or _replicas(view, service)
                done = said is not None if failed else view.converged(service)
                if not done:
                    return False
            return True

        # A task that is about to fail is briefly "running" too: converged counts only once it holds.
        _wait(
            settled,
            ", ".join(services) + tr("failing" if failed else "running"),
            float(timeout),
            lambda: "; ".join(report.values()) or tr("not_read"),
            hold=1 if failed else 3,
        )
        print("\n".join(report[name] for name in services))
        if overlay:
            Lesson(cluster).wait_overlay(StepResult("wait"), float(timeout))
            print(tr("overlay_done"))

    @line_magic
    @_failures
    def check(self, line):
        """%check STAGE ... [--part 2] [--lang en] [--show]: the stages' checks as a table with hints; fails the
        cell unless all pass (--show: only shows them, to see what a check says of a cluster broken on purpose)."""
        usage = f"%check STAGE ... [--part 2] [--lang ru|en] [--show] ({tr('stages')}: {', '.join(STAGES)})"
        words = _words(line, usage, at_least=1)
        show = "--show" in words
        words = [w for w in words if w != "--show"]
        lang = _option(words, "--lang", usage) or i18n.chosen()
        part = _option(words, "--part", usage) or "1"
        if part not in ("1", "2") or lang not in i18n.LANGS:
            raise CellFailed(tr("part_or_lang", part=part, lang=lang, usage=usage))
        unknown = [w for w in words if w not in PART_STAGES[int(part)] + ("teardown",)]
        if unknown:
            raise CellFailed(tr("no_stage", part=part, stages=", ".join(unknown), usage=usage))
        results = [
            replace(
                r,
                message=session.mask(r.message),
                hint=session.mask(r.hint),
                evidence=[session.mask(e) for e in r.evidence],
            )
            for r in run_checks(session.require(), tuple(words), lang, int(part))
        ]
        report = TextReport(lang)
        Console(width=110).print(report.table(results, tr("checking", stages=", ".join(words))))
        print(report.counts(results))
        counts = summary(results)
        if (counts["failed"] or counts["blocked"]) and not show:
            raise CellFailed(tr("stage_failed", stages=", ".join(words)))

    @line_magic
    @_failures
    def answer(self, line):
        """%answer QUESTION VALUE [--part 2] [--lang ru|en]: one of the lesson's questions answered from what the
        cells above showed, judged at once against the cluster; a miss fails the cell with the hint. The answer is
        kept in answers.json beside the notebook ($SWARMLAB_ANSWERS moves it): the file the student hands in."""
        usage = tr("answer", ids=", ".join(QUESTIONS.ids()))
        words = _words(line, usage)
        lang = _option(words, "--lang", usage) or i18n.chosen()
        part = _option(words, "--part", usage) or "1"
        if part not in ("1", "2") or lang not in i18n.LANGS:
            raise CellFailed(tr("part_or_lang", part=part, lang=lang, usage=usage))
        if len(words) < 2:
            raise CellFailed(tr("missing", usage=usage))
        question = asked(words[0], int(part))
        value = answer_file.checked_value(" ".join(words[1:]), question.id)
        kept = answer_file.load(answer_file.default_path(Path.cwd()), QUESTIONS)
        read = reader(session.require())
        verdict = judge_answer(read, question.id, value, lang, int(part))
        kept.keep(question.id, value, swarm_of(read), verdict.outcome)
        kept.save()
        outcome = i18n.tr(f"answer.{verdict.outcome}", lang)
        if verdict.outcome not in ("right", "not_applicable"):
            raise CellFailed(tr("answer_missed", outcome=outcome, message=verdict.message, hint=verdict.hint))
        said = "" if verdict.message == i18n.tr("question.right", lang) else f" ({verdict.message})"
        print(f"{outcome}: {title(question.id, lang)}{said}")

    @line_magic
    @_failures
    def page(self, line):
        """%page NODE [PATH]: the page as a browser on the host would show it."""
        words = _words(line, "%page NODE [PATH]", at_least=1)
        node, path = words[0], (words[1] if len(words) > 1 else "/")
        status, text, _ = _get(node, path)
        body = re.search(r"<body[^>]*>(.*)</body>", text, re.DOTALL)
        display(
            HTML(
                f'<div style="border:1px solid #bbb;padding:0 1em;margin:.5em 0">'
                f'<p style="color:#666">http://{html.escape(node)}{html.escape(path)} → HTTP {status}</p>'
                f"{session.mask(body.group(1) if body else text)}</div>"
            )
        )

    @line_magic
    @_failures
    def pages(self, line):
        """%pages [PATH] [--on NODE ...]: every node's page (or those named) side by side: HTTP status, the
        php-fpm host and the posts."""
        usage = "%pages [PATH] [--on NODE ...]"
        words = _words(line, usage)
        on = words[words.index("--on") + 1 :] if "--on" in words else None
        words = words[: words.index("--on")] if "--on" in words else words
        if on == [] or len(words) > 1:
            raise CellFailed(tr("arguments", given=repr(line.strip()), usage=usage))
        path = words[0] if words else "/"
        rows, problems = [], []
        for node in on or session.require().inventory.names:
            url = f"http://{html.escape(node)}{html.escape(path)}"
            try:
                page = fetch(node, path)
            except CellFailed as err:
                problems.append(str(err))
                rows.append(f"<tr><td>{url}</td><td colspan='3'>{html.escape(str(err))}</td></tr>")
                continue
            posts = "<br>".join(f"{html.escape(i)}. {html.escape(t)}" for i, t in page.posts) or "—"
            rows.append(
                f"<tr><td>{url}</td><td>{page.status}</td><td>{html.escape(page.host or '—')}</td>"
                f"<td style='text-align:left'>{posts}</td></tr>"
            )
        display(
            HTML(
                session.mask(
                    "<table><tr>"
                    + "".join(f"<th>{html.escape(h)}</th>" for h in tr("pages_head").split("|"))
                    + "</tr>"
                    + "".join(rows)
                    + "</table>"
                )
            )
        )
        if problems:
            raise CellFailed("; ".join(problems))

    @line_magic
    @_failures
    def panel(self, line):
        """%panel: the panel's pages on the manager (https, 9443), photographed in headless Chromium;
        %panel --scale SERVICE=N: scaled from the Services tab, as the lesson does it in Portainer."""
        usage = "%panel [--scale SERVICE=N]"
        words = _words(line, usage)
        wanted = _option(words, "--scale", usage)
        if words:
            raise CellFailed(tr("no_arguments", given=repr(line.strip())))
        address = session.require().inventory.manager.address
        if wanted is None:
            session.panel_password = session.panel_password or secrets.token_urlsafe(15)
            walk = partial(tour, address, session.panel_password)
        else:
            service, _, count = wanted.partition("=")
            if not service or not count.isdigit():
                raise CellFailed(tr("panel_scale", usage=usage))
            if session.panel_password is None:
                raise CellFailed(tr("panel_first"))
            walk = partial(scale, address, session.panel_password, service, int(count))
        # Playwright's sync API refuses to run on the kernel's asyncio loop: the browser gets a thread of its own.
        with ThreadPoolExecutor(1) as browser:
            pages = browser.submit(lambda: list(walk())).result()
        for shows, png in pages:
            display(
                HTML(f"<p><b>{html.escape(tr(f'panel.{shows}'))}</b></p>"), Image(data=png, format="png", width=900)
            )


def _wait(condition, what: str, timeout: float = WAIT_TIMEOUT, progress=lambda: "", hold: int = 1) -> None:
    until(
        condition, timeout=timeout, what=tr("waited_in_vain", what=what), progress=progress, hold=hold, error=CellFailed
    )


def _replicas(view, service) -> str:
    """How far the service got: what a wait that ends too soon says of it."""
    return f"{service.name}: {len(view.tasks_of(service))}/{view.wanted(service)}"


def _failing(view, service) -> Optional[str]:
    failed = [t for t in view.tasks_of(service, running_only=False) if t.error]
    nodes = {view.hostname_of(t) for t in failed}
    if not failed or service.mode == "global" and not {n.hostname for n in view.eligible_nodes(service)} <= nodes:
        return None
    errors = ", ".join(sorted({t.error for t in failed}))
    return tr("tasks_fail", service=service.name, nodes=", ".join(sorted(nodes)), errors=errors)


def load_ipython_extension(ipython):
    # Spinners and ticks with durations belong on a terminal; in a stored notebook they are noise.
    ui.set_quiet(True)
    ipython.register_magics(LessonMagics)
