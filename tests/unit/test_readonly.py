"""Checks only read, by construction: the read side sends its own templates and nothing else, every value is
quoted into the one word it is, and any text can be matched back to the template that made it."""

import shlex

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from swarmlab.errors import WriteRefused
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
