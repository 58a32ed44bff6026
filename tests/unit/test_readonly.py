"""Checks only read, by construction: the read side sends its own templates and nothing else, every value is
quoted into the one word it is, and any text can be matched back to the template that made it."""

import shlex
import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from swarmlab.errors import WriteRefused
from swarmlab.lesson import writes as W
from swarmlab.state import templates as T
from swarmlab.state.readonly import ReadOnlyNode

from .test_transport import Echo

FOLDER = "/opt/docker-lessons/level6"
WRITES = [
    "docker service scale core_php-fpm=5",
    "docker node update --availability drain worker-1",
    "docker exec abc rm -rf /",
    "docker stack rm edge",
    "docker volume rm storage_db_volume",
    "echo hi > /etc/passwd",
    "find / -delete",
    "ip link set eth0 mtu 1400",
    "docker swarm join-token -q worker",
    "iptables -A INPUT -j DROP",
    "sort -o /etc/passwd /etc/passwd",
    "date -s 2020-01-01",
    "hostname evil",
    "docker exec c sh -ec 'rm -rf /'",
    "timeout 5 docker exec c sh -c 'touch /x'",
    "echo `reboot`",
    'echo "$(reboot)"',
]


def rendered():
    """One rendering of every read template, with values of each kind."""
    return [
        T.MANAGER.render(),
        T.NODE.render(FOLDER, FOLDER),
        T.INFO.render(),
        T.PROBE.render(("/opt/x y/it's",), ("172.18.0.3", "172.18.0.4"), "a" * 64, "php-fpm", ("10.0.1.5",)),
        T.PROBE.render((), (), "", "php-fpm", ()),
        T.SERVICE_LOGS.render(20, "edge_gateway"),
        T.TASK_LOGS.render(20, "x" * 25),
        T.CONTAINER_LOGS.render(30, "c0ffee" * 10),
        T.IMAGES.render(),
    ]


@pytest.mark.parametrize("command", rendered(), ids=lambda c: c.strip()[:30])
def test_every_rendered_read_is_matched_back_to_its_template(command):
    template, values = T.matched(command)
    assert template.render(*values) == command


@pytest.mark.parametrize("command", WRITES)
def test_a_command_that_changes_a_cluster_matches_no_read(command):
    assert T.matched(command) is None


@pytest.mark.parametrize("command", rendered(), ids=lambda c: c.strip()[:30])
def test_a_read_with_anything_added_is_no_read(command):
    for tail in ("; rm -rf /", " && reboot", "\nreboot", " > /etc/passwd", " $(reboot)"):
        assert T.matched(command + tail) is None


def test_a_read_only_node_sends_its_templates_and_refuses_any_text_before_sending_it():
    inner = Echo()
    node = ReadOnlyNode(inner)
    assert node.read(T.INFO).ok
    for command in WRITES + [T.INFO.render()]:
        with pytest.raises(WriteRefused, match="read side's templates"):
            node.run(command)
    with pytest.raises(WriteRefused):
        node.put(None, "/etc/passwd")
    forged = T.Template("info", "docker service scale x=0")
    with pytest.raises(WriteRefused, match="not one of the read side's templates"):
        node.read(forged)
    assert inner.sent == [T.INFO.render()]


@pytest.mark.parametrize(
    "hole, value",
    [
        (T.COUNT, "1; reboot"),
        (T.NAME, "edge_gateway; rm -rf /"),
        (T.ID, "$(reboot)"),
        (T.IPV4, "10.0.0.1 10.0.0.2"),
        (T.IPV4, "300.1.1.1"),
        (T.PATH, "relative/path"),
        (T.PATH, "/a\nrm -rf /"),
        (T.DNS_NAME, "a b"),
    ],
)
def test_a_value_that_is_not_its_holes_kind_is_refused(hole, value):
    with pytest.raises(WriteRefused):
        hole.written(value)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200))
def test_no_generated_text_is_taken_for_a_read_unless_a_template_renders_it_exactly(text):
    found = T.matched(text)
    assert found is None or found[0].render(*found[1]) == text


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.text(alphabet=st.characters(blacklist_characters="\x00\n"), min_size=1, max_size=30).map(lambda s: "/" + s),
        max_size=4,
    )
)
def test_paths_of_any_characters_stay_one_word_each_in_the_probe(paths):
    command = T.PROBE.render(tuple(paths), (), "", "php-fpm", ())
    words = shlex.split(command.split("; do [")[0].removeprefix("echo '@@ binds'; for p in "))
    assert words == list(paths)
    assert T.matched(command) == (T.PROBE, (tuple(paths), (), "", "php-fpm", ()))


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=40))
def test_a_generated_value_either_fits_its_hole_or_is_refused(value):
    for hole in (T.COUNT, T.NAME, T.ID, T.IPV4, T.DNS_NAME):
        try:
            written = hole.written(value)
        except WriteRefused:
            continue
        assert shlex.split(written) == [value]


def rendered_writes():
    return [
        W.SCALE.render("core_php-fpm", 2),
        W.SCALE.render("core_php-fpm", 100),
        W.UPDATE_IMAGE.render("swarmlab/gateway:lab", "edge_gateway"),
        W.UPDATE_IMAGE.render("registry.local:5000/team/nginx:1.23-alpine", "edge_gateway"),
        W.REMOVE.render("storage_db"),
    ]


def test_a_read_only_node_cannot_reach_a_write_template():
    """The checks, the dashboard and the grader read through ReadOnlyNode: no write template gets past it, by
    template or by its text, and nothing is sent."""
    inner = Echo()
    node = ReadOnlyNode(inner)
    values = {"scale": ("core_php-fpm", 2), "update-image": ("swarmlab/gateway:lab", "edge_gateway")}
    for template in W.WRITES.values():
        with pytest.raises(WriteRefused, match="not one of the read side's templates"):
            node.read(template, *values.get(template.id, ("edge_gateway",)))
    for command in rendered_writes():
        with pytest.raises(WriteRefused):
            node.run(command)
    assert inner.sent == []


@pytest.mark.parametrize("command", rendered_writes(), ids=lambda c: c[:40])
def test_every_rendered_write_is_matched_back_to_its_write_and_to_no_read(command):
    template, values = W.matched_write(command)
    assert template.render(*values) == command and T.matched(command) is None


@pytest.mark.parametrize("command", rendered(), ids=lambda c: c.strip()[:30])
def test_no_read_is_taken_for_a_write(command):
    assert W.matched_write(command) is None


def test_the_checks_the_dashboard_and_the_grader_do_not_even_import_the_writes():
    code = (
        "import sys, swarmlab.checks, swarmlab.checking.runner, swarmlab.grading.grader, "
        "swarmlab.frontends.dashboard.app, swarmlab.frontends.cli.check, swarmlab.frontends.cli.grade; "
        "print(sorted(m for m in sys.modules if m in ('swarmlab.lesson.writes', 'swarmlab.lesson.commands')))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


@pytest.mark.parametrize(
    "hole, value",
    [
        (W.REPLICAS, "-1"),
        (W.REPLICAS, "101"),
        (W.REPLICAS, "1e3"),
        (W.REPLICAS, "4; reboot"),
        (W.REPLICAS, "04"),
        (W.REPLICAS, True),
        (W.IMAGE, "nginx;reboot"),
        (W.IMAGE, "--privileged"),
        (W.IMAGE, "nginx:1.23 --mount type=bind,src=/,dst=/h"),
        (W.IMAGE, "Upper/Case:tag"),
        (W.IMAGE, "nginx@sha256:" + "a" * 64),
        (W.IMAGE, "a" * 256),
        (W.IMAGE, "nginx\n"),
        (W.IMAGE, "$(reboot)"),
        (T.NAME, "core_php-fpm=0 storage_db"),
        (T.NAME, "-q"),
    ],
)
def test_a_write_templates_hole_refuses_a_hostile_value(hole, value):
    with pytest.raises(WriteRefused):
        hole.written(value)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=60), st.text(max_size=10))
def test_a_generated_write_either_renders_one_word_per_value_or_is_refused(name, count):
    for template, values in ((W.SCALE, (name, count)), (W.UPDATE_IMAGE, (count + name, name)), (W.REMOVE, (name,))):
        try:
            command = template.render(*values)
        except WriteRefused:
            continue
        assert W.matched_write(command) == (template, values)
