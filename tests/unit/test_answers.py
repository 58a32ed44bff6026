"""Answering from the command line and the notebooks, and the answer file a student hands in: exit 0 when right and
1 when not, the feedback's first lines, and a file that is not an answer file refused in one line."""

import json

import pytest

from swarmlab.checking import answers
from swarmlab.checks import QUESTIONS
from swarmlab.frontends.magics import CellFailed
from swarmlab.lesson.spec import reader
from swarmlab.transport.factory import replayed

from ..conftest import RECORDINGS, assert_one_clear_line, run, swarmlab

HEALTHY = str(RECORDINGS / "healthy.26.1.json.gz")
VIP_MODE = str(RECORDINGS / "vip-mode.26.1.json.gz")


def manager_id(path: str) -> str:
    with replayed(path) as cluster:
        return reader(cluster).manager().me.id


def cluster_id(path: str) -> str:
    with replayed(path) as cluster:
        return reader(cluster).manager().info.cluster_id


def ask(tmp_path, *args, lang="en"):
    return swarmlab(*args, "--answers", str(tmp_path / "answers.json"), env={"SWARMLAB_LANG": lang})


def test_a_right_answer_exits_0_says_right_and_is_kept_with_the_swarm_it_was_given_on(tmp_path):
    done = ask(tmp_path, "answer", "manager_id", manager_id(HEALTHY), "--replay", HEALTHY)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.splitlines()[0] == "right: The ID of the manager node (the line docker node ls marks with *)"
    kept = json.loads((tmp_path / "answers.json").read_text())["answers"]["manager_id"]
    assert (kept["value"], kept["cluster"], kept["outcome"]) == (manager_id(HEALTHY), cluster_id(HEALTHY), "right")


def test_a_wrong_answer_exits_1_with_why_and_where_to_look(tmp_path):
    done = ask(tmp_path, "answer", "manager_id", manager_id(VIP_MODE), "--replay", HEALTHY)
    assert done.returncode == 1
    first, why, where = done.stdout.splitlines()[:3]
    assert first.startswith("wrong: The ID of the manager node")
    assert why == "not what this cluster shows"
    assert where == "→ on the manager: docker node ls, the first column of the line marked with *"


def test_a_near_miss_exits_1_and_says_what_is_missing_in_russian(tmp_path):
    done = ask(tmp_path, "answer", "manager_id", manager_id(HEALTHY)[:12], "--replay", HEALTHY, lang="ru")
    assert done.returncode == 1
    assert done.stdout.splitlines()[:2] == [
        "почти: ID ноды manager (строка, которую docker node ls отмечает звёздочкой *)",
        "это только начало ID: укажите его целиком, как показывает docker node ls",
    ]


def test_a_question_that_does_not_apply_exits_0_and_says_why(tmp_path):
    done = ask(tmp_path, "answer", "vip", "10.0.1.26/24", "--replay", HEALTHY)
    assert done.returncode == 0
    assert done.stdout.splitlines()[1].startswith("core_php-fpm runs with endpoint_mode dnsrr here")


@pytest.mark.parametrize(
    "args, words",
    [
        (["answer", "nope", "1", "--replay", HEALTHY], ["'nope' is not a question of part 1", "manager_id, db_node"]),
        (["answer", "gateway_nodes", "manager", "--replay", HEALTHY], ["not a question of part 1"]),
        (["answer", "vip", "1" * 300, "--replay", HEALTHY], ["300 characters long, more than 200"]),
        (["answer", "vip", "10.0.1.26\x1b[2J", "--replay", HEALTHY], ["control characters"]),
        (["answer", "vip"], ["required: VALUE"]),
    ],
)
def test_a_bad_question_or_answer_is_refused_in_one_line_before_the_cluster_is_read(tmp_path, args, words):
    assert_one_clear_line(ask(tmp_path, *args), 2, *words)
    assert not (tmp_path / "answers.json").exists()


def test_answers_lists_the_parts_questions_with_the_state_kept_and_where_to_find_each(tmp_path):
    ask(tmp_path, "answer", "db_node", "db-manager", "--replay", HEALTHY)
    done = ask(tmp_path, "answers", "--part", "2")
    assert done.returncode == 0
    lines = done.stdout.splitlines()
    row = next(line for line in lines if "db_node" in line)
    assert "placement" in row and "near miss" in row and "db-manager" in row
    assert any("gateway_nodes" in line and "not answered" in line for line in lines)


def test_answers_shows_a_kept_answer_as_text_whatever_markup_it_holds(tmp_path):
    (tmp_path / "answers.json").write_text(
        json.dumps({"version": 1, "answers": {"vip": {"value": "[bold red]10.0.1.26[/]", "outcome": "wrong"}}})
    )
    done = ask(tmp_path, "answers")
    assert "[bold red]10.0.1.26[/]" in done.stdout


def file_with(tmp_path, content) -> str:
    path = tmp_path / "answers.json"
    path.write_text(content if isinstance(content, str) else json.dumps(content))
    return str(path)


@pytest.mark.parametrize(
    "content, words",
    [
        ("{not json", ["not an answer file (JSONDecodeError)", "fix it or remove it"]),
        ("x" * (answers.LARGEST + 1), ["larger than 64 KiB"]),
        ({"version": 2, "answers": {}}, ['{"version": 1, "answers": {...}}']),
        ([1, 2], ['{"version": 1, "answers": {...}}']),
        ({"version": 1, "answers": {"\x1b]0;owned\x07": {"value": "x"}}}, ["is not a question (known: manager_id"]),
        ({"version": 1, "answers": {"vip": "10.0.1.26"}}, ["question vip: an answer is a mapping with value"]),
        ({"version": 1, "answers": {"vip": {"value": 10}}}, ["question vip: the answer is a int, not text"]),
        ({"version": 1, "answers": {"vip": {"value": "1" * 201}}}, ["201 characters long"]),
        ({"version": 1, "answers": {"vip": {"value": "a\u009bb"}}}, ["control characters"]),
        ({"version": 1, "answers": {"vip": {"value": "x", "cluster": "../../x"}}}, ["not a swarm's cluster ID"]),
        ({"version": 1, "answers": {"vip": {"value": "x", "outcome": "perfect"}}}, ["at or outcome"]),
    ],
)
def test_an_answer_file_that_is_not_one_is_refused_in_one_line_naming_what_is_wrong(tmp_path, content, words):
    path = file_with(tmp_path, content)
    done = swarmlab("answers", "--answers", path)
    assert_one_clear_line(done, 2, path, *words)
    assert "\x1b" not in done.stderr and "\x07" not in done.stderr


def test_the_answer_file_is_kept_whole_and_read_back_as_written(tmp_path):
    kept = answers.load(tmp_path / "deep" / "answers.json", QUESTIONS)
    kept.keep("vip", "10.0.1.26/24", "abc123", "right")
    kept.keep("manager_id", "x", "Not A Cluster ID!", "wrong")
    kept.save()
    again = answers.load(tmp_path / "deep" / "answers.json", QUESTIONS)
    assert again.values() == {"vip": "10.0.1.26/24", "manager_id": "x"}
    assert again.clusters() == {"abc123"}
    assert [p.name for p in (tmp_path / "deep").iterdir()] == ["answers.json"]


def test_the_answer_file_is_the_notebooks_own_unless_swarmlab_answers_says_where(tmp_path, monkeypatch):
    monkeypatch.delenv(answers.ENV, raising=False)
    assert answers.default_path(tmp_path) == tmp_path / "answers.json"
    monkeypatch.setenv(answers.ENV, str(tmp_path / "mine.json"))
    assert answers.default_path(tmp_path) == tmp_path / "mine.json"


def test_answer_in_a_notebook_is_judged_at_once_and_a_miss_fails_the_cell_with_its_hint(
    shell, monkeypatch, tmp_path, capsys
):
    from swarmlab.frontends import magics

    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv(answers.ENV, raising=False)
    monkeypatch.setenv("SWARMLAB_LANG", "en")
    monkeypatch.setattr(magics.session, "cluster", replayed(HEALTHY))
    assert run(shell, f"%answer manager_id {manager_id(HEALTHY)}") is None
    assert capsys.readouterr().out.startswith("right: The ID of the manager node")
    error = run(shell, "%answer php_fpm_hostnames php-fpm-manager")
    assert isinstance(error, CellFailed)
    assert str(error).startswith("near miss: 1 of them: refresh the page")
    assert "open http://<a node>/ and refresh it" in str(error)
    kept = answers.load(tmp_path / "answers.json", QUESTIONS)
    assert kept.values() == {"manager_id": manager_id(HEALTHY), "php_fpm_hostnames": "php-fpm-manager"}


def test_answer_in_a_notebook_without_a_value_says_how_it_is_written(shell, monkeypatch):
    from swarmlab.frontends import magics

    monkeypatch.setattr(magics.session, "cluster", replayed(HEALTHY))
    error = run(shell, "%answer vip")
    assert isinstance(error, CellFailed) and "%answer QUESTION VALUE" in str(error) or "%answer ВОПРОС" in str(error)
