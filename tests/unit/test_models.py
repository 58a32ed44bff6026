"""Reading the engines' own words: times as both engines print them, and what nginx's log says it holds."""

from datetime import datetime, timezone

from swarmlab.state.models import Network, Task, when
from swarmlab.state.nginx import reloaded_with, upstreams


def at(text):
    return datetime.fromisoformat(text).replace(tzinfo=timezone.utc)


def test_engine_times_keep_nanoseconds_to_the_microsecond_and_the_zero_time_is_none():
    assert when("2026-11-25T17:09:06.123456789Z") == at("2026-11-25T17:09:06.123456")
    assert when("2026-11-25T17:09:06Z") == at("2026-11-25T17:09:06")
    assert when("0001-01-01T00:00:00Z") is None and when("") is None


def test_a_task_was_alive_from_its_creation_until_it_was_shut_down():
    ended = Task(
        {
            "ID": "t",
            "CreatedAt": "2026-11-25T17:00:00.5Z",
            "UpdatedAt": "2026-11-25T17:05:00Z",
            "DesiredState": "shutdown",
            "Status": {"State": "shutdown"},
        }
    )
    assert not ended.alive_at(at("2026-11-25T16:59:59"))
    assert ended.alive_at(at("2026-11-25T17:01:00"))
    assert not ended.alive_at(at("2026-11-25T17:06:00"))
    running = Task({**ended.raw, "DesiredState": "running", "Status": {"State": "running"}})
    assert running.alive_at(at("2026-11-25T18:00:00"))


def test_nginx_forgets_the_upstreams_it_tried_when_it_reloads_and_the_labs_gateway_says_what_it_reloaded_with():
    lines = [
        'connect() failed (113: No route to host) while connecting to upstream, upstream: "fastcgi://10.0.1.3:9000"',
        "swarmlab-gateway: upstream addresses changed (10.0.1.3 -> 10.0.1.7 10.0.1.8 ): nginx -s reload",
        "2026/11/25 17:09:08 [notice] 1#1: reconfiguring",
    ]
    assert upstreams(lines[:1]) == {"10.0.1.3"}
    assert upstreams(lines) == set()
    assert reloaded_with(lines) == {"10.0.1.7", "10.0.1.8"}
    assert reloaded_with(lines[:1]) is None


def test_a_client_that_answers_in_json_for_an_unreachable_daemon_gives_its_words():
    from swarmlab.state.reads import parse_info

    said = "permission denied while trying to connect to the Docker daemon socket at unix:///var/run/docker.sock"
    info = parse_info(['{"ID":"","ServerErrors":["' + said + '"],"ClientInfo":{"Version":"28.5.2"}}'])
    assert info.engine is None and info.error == said


def test_an_empty_info_followed_by_the_reason_gives_the_reason_as_docker_28_prints_it():
    from swarmlab.state.reads import parse_info

    said = "permission denied while trying to connect to the Docker daemon socket at unix:///var/run/docker.sock"
    info = parse_info(['{"ID":"","Containers":0,"ServerVersion":""}', said])
    assert info.engine is None and info.error == said


def test_a_networks_listed_tasks_keep_only_ipv4_addresses_whatever_the_node_wrote():
    tasks = [
        {"EndpointIP": "10.0.1.5"},
        {"EndpointIP": "10.0.1.6/24"},
        {"EndpointIP": "$(reboot)"},
        {"EndpointIP": "10.0.1.999"},
        {"EndpointIP": 7},
        "not a task",
    ]
    network = Network({"Services": {"core_php-fpm": {"Tasks": tasks}, "edge_gateway": None}})
    assert network.task_addresses("core_php-fpm") == {"10.0.1.5", "10.0.1.6"}
    assert network.task_addresses("edge_gateway") == frozenset() == network.task_addresses("missing")
    assert Network({"Services": ["a list"]}).task_addresses("core_php-fpm") == frozenset()
    assert Network({"Services": {"core_php-fpm": {"Tasks": "10.0.1.5"}}}).task_addresses("core_php-fpm") == frozenset()
