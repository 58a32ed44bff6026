"""The lesson's notebooks and their magics: no secret is ever stored, every notebook starts by choosing the
cluster and ends by checking its stage, and a failing command or check fails the cell (so nbval fails CI).

`make nbval` re-runs the notebooks themselves; these tests pin what it cannot see.
"""

import io
import re
from types import SimpleNamespace

import nbformat
import pytest
from nbval.plugin import get_sanitize_patterns

from swarmlab import resources
from swarmlab.checking import CheckResult
from swarmlab.checks import QUESTIONS
from swarmlab.frontends import magics
from swarmlab.frontends.magics import CellFailed, MaskedLines
from swarmlab.lesson.spec import STAGES
from swarmlab.secrets import MASK, TOKEN, Masker, lesson_passwords
from swarmlab.transport.factory import replayed

from ..conftest import RECORDINGS, ROOT, run

NOTEBOOKS = ROOT / "notebooks"
STAGE_OF = {
    "01_init": ["init"],
    "02_join": ["join"],
    "03_network": ["network"],
    "04_stacks": ["sync", "stacks"],
    "05_inspect": ["vip", "connectivity"],
    "06_browser": ["pages"],
    "07_teardown": ["teardown"],
    "08_labels": ["labels", "placement"],
    "09_portainer": ["panel", "pages"],
    "10_homework": ["labels", "placement", "panel", "pages"],
}
# The lesson's published sample token, assembled here so that no tracked file holds a token-shaped string.
TOKEN_SAMPLE = "-".join(
    ("SWMTKN", "1", "5wfawqq1ouz0x57ou2h0mvh9uyy6143sz2fq8qf4gvlbv3zejg", "1sluf5p8c3x067rcahck7j53u")
)


def notebook(name):
    return nbformat.read(NOTEBOOKS / f"{name}.ipynb", as_version=4)


def code_cells(nb):
    return [cell for cell in nb.cells if cell.cell_type == "code"]


def stored_text(nb):
    """Every source and every stored output of the notebook, as one text."""
    parts = []
    for cell in nb.cells:
        parts.append(cell.source)
        for output in cell.get("outputs", []):
            parts.append(output.get("text", ""))
            parts += [str(value) for value in output.get("data", {}).values()]
            parts += [output.get("evalue", "")] + list(output.get("traceback", []))
    return "\n".join(parts)


def sanitize(text):
    for regex, replacement in get_sanitize_patterns((NOTEBOOKS / "sanitize.cfg").read_text()):
        text = re.sub(regex, replacement, text)
    return text


def test_every_stage_of_the_lesson_has_its_notebook_in_order():
    assert sorted(p.stem for p in NOTEBOOKS.glob("*.ipynb")) == list(STAGE_OF)


@pytest.mark.parametrize("name", STAGE_OF)
def test_no_join_token_private_key_or_db_password_is_stored_in_a_notebook(name):
    text = stored_text(notebook(name))
    assert not TOKEN.search(text)
    assert "PRIVATE KEY-----" not in text
    passwords = lesson_passwords(resources.level6())
    assert "lemp-pass" in passwords
    assert [p for p in passwords if p in text] == []


@pytest.mark.parametrize("name", STAGE_OF)
def test_the_first_code_cell_chooses_the_cluster(name):
    lines = code_cells(notebook(name))[0].source.splitlines()
    assert "%load_ext swarmlab" in lines
    assert any(line.split()[:1] == ["%cluster"] for line in lines)


@pytest.mark.parametrize("name", STAGE_OF)
def test_the_last_cell_checks_the_notebooks_own_stages(name):
    last = notebook(name).cells[-1]
    assert last.cell_type == "code"
    command, *words = last.source.split()
    stages = [w for w in words if not w.startswith("--") and not w.isdigit()]
    assert command == "%check" and "--show" not in words
    assert stages == STAGE_OF[name] and set(stages) <= set(STAGES)


@pytest.mark.parametrize("name", STAGE_OF)
def test_stored_outputs_come_from_one_complete_run_without_errors(name):
    cells = code_cells(notebook(name))
    counts = [cell.execution_count for cell in cells]
    assert counts == list(range(1, len(cells) + 1)), "re-execute the notebook from the top"
    assert not [o for cell in cells for o in cell.outputs if o.output_type == "error"]


@pytest.mark.parametrize("name", STAGE_OF)
def test_a_question_cell_answers_from_the_cluster_never_from_a_stored_value(name):
    """A constant would pass on the lab it was stored from and fail on the next fresh one: every value comes from
    a variable the notebook read from the cluster (a student types their own)."""
    for cell in code_cells(notebook(name)):
        for line in cell.source.splitlines():
            if line.startswith("%answer"):
                given = re.fullmatch(r"%answer (\w+) \{[^{}]+\}( --part 2)?", line)
                assert given and given.group(1) in QUESTIONS.ids(), line


def test_every_question_is_asked_in_a_notebook_of_its_stage():
    part_of = {name: 2 if name >= "08" else 1 for name in STAGE_OF}
    asked: dict = {}
    for name in STAGE_OF:
        for cell in code_cells(notebook(name)):
            for line in cell.source.splitlines():
                if line.startswith("%answer"):
                    asked.setdefault(line.split()[1], set()).add(name)
    for question in QUESTIONS.of(1) + QUESTIONS.of(2):
        assert any(question.stage(part_of[name]) in STAGE_OF[name] for name in asked.get(question.id, ())), question.id


@pytest.mark.parametrize(
    "first, second",
    [
        (
            "core_php-fpm.1   worker-2   Running   Running 25 seconds ago  ",
            "core_php-fpm.1   worker-2   Running   Running about a minute ago  ",
        ),
        (
            "whziqjcrquva   core_php-fpm   replicated   6/6   swarmlab/php-fpm:lab",
            "1bq9jqhenbc9   core_php-fpm   replicated   6/6        swarmlab/php-fpm:lab",
        ),
        (
            "current node (2w9ephlrf9uvogini1ehmiiot) is now a manager",
            "current node (ydvilrbgg9m2qln4pxfjng0rc) is now a manager",
        ),
        (
            "64 bytes from 10.0.1.48: icmp_seq=1 ttl=64 time=0.439 ms",
            "64 bytes from 10.0.1.5: icmp_seq=1 ttl=64 time=12 ms",
        ),
        (
            "edge_gateway.0.y03ys5ns7zmv@worker-1    | 2026/11/25 09:00:59 [emerg] 1#1: host not found",
            "edge_gateway.0.muuj1wfbtohb@manager    | 2026/11/26 10:01:02 [emerg] 1#1: host not found",
        ),
    ],
)
def test_sanitizing_equates_what_differs_between_two_fresh_labs(first, second):
    assert sanitize(first) == sanitize(second)


@pytest.mark.parametrize(
    "first, second",
    [
        ("edge_gateway   global   3/3", "edge_gateway   global   2/3"),
        (
            f"docker swarm join --token SWMTKN-1-{MASK} 10.0.0.2:2377",
            f"docker swarm join --token {TOKEN_SAMPLE} 10.0.0.2:2377",
        ),
        ("MYSQL_ROOT_PASSWORD=" + MASK, "MYSQL_ROOT_PASSWORD=lemp-pass"),
        ("task: non-zero exit (1)", "task: non-zero exit (137)"),
    ],
)
def test_sanitizing_keeps_what_the_lesson_is_about(first, second):
    assert sanitize(first) != sanitize(second)


def write_in_pieces(text: bytes, size: int) -> str:
    out = io.StringIO()
    lines = MaskedLines(out, Masker("lemp-pass"))
    for start in range(0, len(text), size):
        lines.write(text[start : start + size])
    lines.close()
    return out.getvalue()


@pytest.mark.parametrize("size", [1, 3, 7, 4096])
def test_streamed_output_is_masked_even_when_a_secret_arrives_in_pieces(size):
    kind = "OPENSSH PRIVATE" + " KEY"
    key = f"-----BEGIN {kind}-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END {kind}-----\n"
    text = f"join with {TOKEN_SAMPLE}\nпароль: lemp-pass\n{key}Хост - php-fpm-manager"
    shown = write_in_pieces(text.encode(), size)
    assert "SWMTKN-1-" + MASK in shown and "пароль: " + MASK in shown
    assert TOKEN_SAMPLE not in shown and "lemp-pass" not in shown and "b3BlbnNzaC1" not in shown
    assert shown.endswith("Хост - php-fpm-manager")


def test_a_failing_check_fails_the_cell_and_its_hint_is_shown_masked(shell, monkeypatch, capsys):
    failed = CheckResult(
        "stacks", "the_db_is_healthy", "failed", "db не отвечает (пароль lemp-pass)", "задеплойте стек storage"
    )
    monkeypatch.setattr(magics, "run_checks", lambda cluster, stages, lang, part: [failed])
    fake = SimpleNamespace(inventory=SimpleNamespace(path=None), close=lambda: None)
    monkeypatch.setattr(magics.session, "cluster", fake)
    error = run(shell, "%check stacks")
    shown = capsys.readouterr().out
    assert isinstance(error, CellFailed)
    assert "задеплойте стек storage" in shown and "lemp-pass" not in shown


def test_a_magic_used_before_the_cluster_is_chosen_says_which_cell_to_run(shell):
    error = run(shell, "%%node manager\ntrue")
    assert isinstance(error, CellFailed) and "%cluster" in str(error)
    assert error._render_traceback_() == [f"\x1b[31m{error}\x1b[0m"]


def test_panel_scale_logs_in_with_the_password_the_first_panel_cell_made_and_shows_it_nowhere(shell, monkeypatch):
    walks = []
    monkeypatch.setattr(
        magics.session,
        "cluster",
        SimpleNamespace(inventory=SimpleNamespace(manager=SimpleNamespace(address="10.9.8.7")), close=lambda: None),
    )
    monkeypatch.setattr(magics.session, "panel_password", None)
    monkeypatch.setattr(magics, "tour", lambda address, password: walks.append(("tour", address, password)) or [])
    monkeypatch.setattr(
        magics, "scale", lambda address, password, service, n: walks.append(("scale", password, service, n)) or []
    )
    assert "%panel" in str(run(shell, "%panel --scale core_php-fpm=2"))
    for wrong in ("--scale core_php-fpm", "--scale =2", "--scale core_php-fpm=two", "--other"):
        assert isinstance(run(shell, f"%panel {wrong}"), CellFailed)
    assert run(shell, "%panel") is None and run(shell, "%panel --scale core_php-fpm=2") is None
    [(_, address, password), scaled] = walks
    assert address == "10.9.8.7" and len(password) >= 12 and scaled == ("scale", password, "core_php-fpm", 2)


def test_a_wait_that_ends_too_soon_says_how_far_each_service_got(shell, monkeypatch):
    monkeypatch.setenv("SWARMLAB_LANG", "en")
    monkeypatch.setattr(magics.session, "cluster", replayed(str(RECORDINGS / "gateway-exits.28.5.json.gz")))
    error = run(shell, "%wait core_php-fpm edge_gateway --timeout 0.5")
    assert isinstance(error, CellFailed)
    assert "core_php-fpm: 6/6; edge_gateway: 2/3" in str(error)
