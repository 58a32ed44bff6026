"""The lesson's questions against the recorded cluster states, without Docker: what each question takes as right,
as a near miss and as wrong on each cluster, and why it says so, in both languages."""

import pytest

from swarmlab import i18n
from swarmlab.checking.facts import Facts
from swarmlab.checking.questions import CREDIT, Truth, truth_of
from swarmlab.checks import QUESTIONS, judge_answer, judge_answers
from swarmlab.lesson.spec import NETWORK, PHP_FPM, reader
from swarmlab.transport.factory import replayed

from ..conftest import RECORDINGS

RECORDED = sorted(RECORDINGS.glob("*.json.gz"))
STATES: dict = {}


def read(state: str, engine: str = "26.1"):
    """One Reader per recording, shared by the tests (a replayed read is the same every time)."""
    key = f"{state}.{engine}"
    if key not in STATES:
        with replayed(RECORDINGS / f"{key}.json.gz") as cluster:
            found = reader(cluster)
            found.snapshot()
            found.probes()
        STATES[key] = found
    return STATES[key]


def answer(state: str, question: str, value: str, lang: str = "en", part: int = 1, engine: str = "26.1"):
    return judge_answer(read(state, engine), question, value, lang, part)


def truth(state: str, question: str, part: int = 1, engine: str = "26.1"):
    return truth_of(QUESTIONS.get(question), Facts(read(state, engine), part, "en"))


def manager_view(state: str):
    return read(state).manager()


@pytest.mark.parametrize("path", RECORDED, ids=lambda p: p.name.removesuffix(".json.gz"))
@pytest.mark.parametrize("lang", ["en", "ru"])
def test_every_question_takes_what_the_cluster_shows_as_right_and_anything_else_as_wrong(path, lang):
    state, engine = path.name.split(".")[0], ".".join(path.name.split(".")[1:3])
    for part in (1, 2):
        verdicts, truths = judge_answers(read(state, engine), {}, lang, part)
        assert [v.id for v in verdicts] == list(QUESTIONS.ids(part))
        for question in QUESTIONS.of(part):
            found = truths.get(question.id)
            if found is None:
                blocked = next(v for v in verdicts if v.id == question.id)
                assert blocked.outcome == "blocked" and blocked.message, blocked
                continue
            if found.inapplicable:
                verdict = judge_answer(read(state, engine), question.id, "10.0.1.26", lang, part)
                assert (verdict.outcome, verdict.credit) == ("not_applicable", 1.0)
                continue
            rights = [",".join(sorted(found.right))] if found.kind == "subset" else sorted(found.right)[:3]
            for value in rights:
                verdict = judge_answer(read(state, engine), question.id, value, lang, part)
                assert (verdict.outcome, verdict.credit, verdict.hint) == ("right", 1.0, ""), (question.id, value)
            for value in sorted(found.near)[:3]:
                verdict = judge_answer(read(state, engine), question.id, value, lang, part)
                assert (verdict.outcome, verdict.credit) == ("near", CREDIT["near"]), (question.id, value)
                assert verdict.hint, verdict
            verdict = judge_answer(read(state, engine), question.id, "192.0.2.1", lang, part)
            assert (verdict.outcome, verdict.credit) == ("wrong", 0.0)
            assert verdict.hint == i18n.tr(f"question.{question.id}.where", lang)


def test_the_manager_id_is_the_node_id_docker_node_ls_marks_with_a_star():
    view = manager_view("healthy")
    me = view.me.id
    worker = next(n for n in view.nodes if n.id != me)
    assert answer("healthy", "manager_id", me).outcome == "right"
    assert answer("healthy", "manager_id", f"  {me.upper()} ").outcome == "right"
    near = answer("healthy", "manager_id", me[:12])
    assert near.outcome == "near" and "whole" in near.message and me not in near.message + near.hint
    other = answer("healthy", "manager_id", worker.id)
    assert other.outcome == "wrong" and worker.hostname in other.message and "*" in other.message
    assert "hostname" in answer("healthy", "manager_id", "manager").message
    assert "cluster ID" in answer("healthy", "manager_id", view.info.cluster_id).message


def test_another_clusters_manager_id_is_wrong_here():
    theirs = manager_view("vip-mode").me.id
    assert answer("healthy", "manager_id", theirs).outcome == "wrong"
    assert answer("vip-mode", "manager_id", theirs).outcome == "right"


def test_the_vip_is_right_with_or_without_its_prefix_length():
    view = manager_view("vip-mode")
    vip = view.service(PHP_FPM).vips[view.network(NETWORK).id]
    assert answer("vip-mode", "vip", f"{vip}/24").outcome == "right"
    assert answer("vip-mode", "vip", vip).outcome == "right"
    assert answer("vip-mode", "vip", f'"{vip}/24"').outcome == "right"


def test_a_container_address_given_for_the_vip_is_wrong_and_the_feedback_says_the_vip_is_no_containers():
    view = manager_view("vip-mode")
    task = next(t for t in view.tasks_of(view.service(PHP_FPM)))
    ip = task.addresses[view.network(NETWORK).id]
    verdict = answer("vip-mode", "vip", ip)
    assert verdict.outcome == "wrong" and "belongs to no container" in verdict.message
    assert "docker inspect service core_php-fpm" in verdict.hint
    russian = answer("vip-mode", "vip", ip, "ru")
    assert "не принадлежит ни одному контейнеру" in russian.message


def test_the_load_balancer_endpoint_given_for_the_vip_is_named_as_the_nodes_own():
    endpoint = read("vip-mode").node("worker-1").network(NETWORK).containers["lb-lemp-overlay"]
    verdict = answer("vip-mode", "vip", endpoint)
    assert verdict.outcome == "wrong" and "lemp-overlay-endpoint" in verdict.message and "worker-1" in verdict.message


def test_the_vip_question_does_not_apply_where_php_fpm_runs_in_dnsrr_and_earns_its_points():
    verdict = answer("healthy", "vip", "10.0.1.26/24")
    assert (verdict.outcome, verdict.credit) == ("not_applicable", 1.0) and "dnsrr" in verdict.message
    assert answer("healthy", "vip", "", "ru").outcome == "not_applicable"


def test_ping_php_fpm_answers_from_the_vip_in_vip_mode_and_from_a_task_in_dnsrr():
    view = manager_view("vip-mode")
    overlay = view.network(NETWORK).id
    vip = view.service(PHP_FPM).vips[overlay]
    task_ip = next(iter(view.tasks_of(view.service(PHP_FPM)))).addresses[overlay]
    assert answer("vip-mode", "ping_php_fpm", vip).outcome == "right"
    wrong = answer("vip-mode", "ping_php_fpm", task_ip)
    assert wrong.outcome == "wrong" and "resolves to the VIP" in wrong.message
    healthy = manager_view("healthy")
    dnsrr_ip = next(iter(healthy.tasks_of(healthy.service(PHP_FPM)))).addresses[healthy.network(NETWORK).id]
    assert answer("healthy", "ping_php_fpm", dnsrr_ip).outcome == "right"


def test_a_container_ip_of_the_manager_is_right_one_of_another_node_a_near_miss_the_vip_wrong():
    mine = read("vip-mode").node("manager").network(NETWORK).containers
    theirs = read("vip-mode").node("worker-2").network(NETWORK).containers
    mine_ip = next(ip for key, ip in mine.items() if not key.startswith("lb-"))
    theirs_ip = next(ip for key, ip in theirs.items() if not key.startswith("lb-"))
    assert answer("vip-mode", "container_ip", mine_ip).outcome == "right"
    near = answer("vip-mode", "container_ip", theirs_ip)
    assert near.outcome == "near" and "worker-2" in near.message and "only the manager's" in near.message
    view = manager_view("vip-mode")
    vip = view.service(PHP_FPM).vips[view.network(NETWORK).id]
    wrong = answer("vip-mode", "container_ip", vip)
    assert wrong.outcome == "wrong" and "no container has" in wrong.message
    endpoint = answer("vip-mode", "container_ip", mine["lb-lemp-overlay"])
    assert endpoint.outcome == "wrong" and "load balancer" in endpoint.message


def test_an_address_of_a_task_since_replaced_still_counts_for_the_questions_that_accept_the_history():
    found = truth("worker-left", "ping_php_fpm")
    assert found.moved and not found.moved & found.right
    verdict = answer("worker-left", "ping_php_fpm", sorted(found.moved)[0])
    assert verdict.outcome == "right" and "moved or been replaced" in verdict.message
    assert QUESTIONS.get("ping_php_fpm").changes == "history" and QUESTIONS.get("manager_id").changes == "fixed"


def test_the_db_node_is_named_by_its_hostname_its_id_or_container_hostname_a_near_miss():
    assert answer("healthy", "db_node", "manager").outcome == "right"
    assert answer("healthy", "db_node", "Manager").outcome == "right"
    container = answer("healthy", "db_node", "db-manager")
    assert container.outcome == "near" and "container's hostname" in container.message
    node_id = manager_view("healthy").node_named("manager").id
    assert answer("healthy", "db_node", node_id).outcome == "near"
    assert answer("healthy", "db_node", "worker-1").outcome == "wrong"


def test_the_db_node_cannot_be_judged_without_a_db_and_says_why():
    verdict = answer("storage-missing", "db_node", "worker-2")
    assert (verdict.outcome, verdict.credit) == ("blocked", 0.0) and "storage_db" in verdict.message


def test_the_php_fpm_hostnames_are_a_set_of_at_least_two_in_any_order():
    assert answer("healthy", "php_fpm_hostnames", "php-fpm-worker-2, php-fpm-manager").outcome == "right"
    assert answer("healthy", "php_fpm_hostnames", "php-fpm-manager php-fpm-worker-1 php-fpm-worker-2").outcome == (
        "right"
    )
    one = answer("healthy", "php_fpm_hostnames", "php-fpm-manager")
    assert one.outcome == "near" and "refresh" in one.message
    gateway = answer("healthy", "php_fpm_hostnames", "gateway-manager, php-fpm-worker-1")
    assert gateway.outcome == "wrong" and "nginx" in gateway.message
    node = answer("healthy", "php_fpm_hostnames", "manager, worker-1")
    assert node.outcome == "wrong" and "is a node" in node.message


def test_part_two_asks_where_the_labels_put_the_gateway_and_php_fpm():
    assert set(QUESTIONS.ids(2)) - set(QUESTIONS.ids(1)) == {"gateway_nodes", "php_fpm_nodes"}
    assert answer("healthy", "php_fpm_nodes", "worker-2,manager, worker-1", part=2).outcome == "right"
    some = answer("healthy", "gateway_nodes", "manager, worker-1", part=2)
    assert some.outcome == "near" and "not only those" in some.message
    assert answer("healthy", "gateway_nodes", "worker-3", part=2).outcome == "wrong"


def test_a_question_of_the_other_part_or_none_at_all_is_refused_with_the_parts_ids():
    from swarmlab.errors import UsageError

    with pytest.raises(UsageError, match="not a question of part 1: use one of manager_id"):
        answer("healthy", "gateway_nodes", "manager")
    with pytest.raises(UsageError, match=r"'\\x1b' is not|is not a question"):
        answer("healthy", "\x1b[2J", "x")


def test_feedback_repeats_a_long_or_hostile_answer_only_shortened_and_plain():
    verdict = answer("healthy", "php_fpm_hostnames", "php-fpm-manager," + "x" * 150)
    assert verdict.outcome == "wrong" and len(verdict.message) < 140 and "…" in verdict.message
    assert len(verdict.given) <= 60


def test_an_unanswered_question_earns_nothing_and_says_so():
    verdicts, _ = judge_answers(read("healthy"), {}, "ru", 1)
    manager = next(v for v in verdicts if v.id == "manager_id")
    assert (manager.outcome, manager.credit, manager.message) == ("unanswered", 0.0, "ответа пока нет")


def test_a_truth_holds_the_answers_it_takes_as_right_only():
    found = Truth(right=frozenset({"a"}), near={"b": ("question.nodes.some", {})})
    assert found.holds("a") and not found.holds("b") and not found.holds("c")


def test_every_question_has_its_text_and_where_to_look_in_both_languages_with_the_same_placeholders():
    import string

    def fields(text: str) -> set:
        return {name for _, name, _, _ in string.Formatter().parse(text) if name}

    ours = ("question.", "answer.", "integrity.answers_", "magic.answer")
    keys = {lang: {k for k in i18n.WORDS[lang] if k.startswith(ours)} for lang in i18n.LANGS}
    assert keys["ru"] == keys["en"]
    for key in keys["en"]:
        assert fields(i18n.WORDS["ru"][key]) == fields(i18n.WORDS["en"][key]), key
    for question in QUESTIONS.ids():
        assert {f"question.{question}", f"question.{question}.where"} <= keys["en"]
