"""Stage pages: every node serves the same posts from one database; the php-fpm hostname changes."""

import pytest

from labs.checking import expect
from labs.ssh import resolve

pytestmark = pytest.mark.pages


def served(state, page_samples):
    per_node, _ = page_samples
    for name, page in per_node.items():
        if isinstance(page, Exception):
            expect(False, "pages.status", node=name, status=type(page).__name__, text=str(page)[:120])
        yield name, page


def test_every_node_answers_200_with_the_posts_table(state, page_samples):
    for name, page in served(state, page_samples):
        key = "pages.db_down" if page.status == 503 else "pages.status"
        expect(page.status == 200, key, node=name, status=page.status, text=page.text[:160])
        expect(page.posts, "pages.no_posts", node=name, address=resolve(state.inventory.node(name)).hostname)


def test_every_node_shows_the_same_posts(state, page_samples):
    seen = {name: page.posts for name, page in served(state, page_samples)}
    distinct = set(seen.values())
    expect(len(distinct) == 1, "pages.differ",
           detail="; ".join(f"{name}: {len(posts)} posts" for name, posts in seen.items()))


def test_php_fpm_hostnames_from_several_nodes_appear(state, page_samples):
    _, samples = page_samples
    hosts = sorted({page.host for page in samples if not isinstance(page, Exception) and page.host})
    nodes = {host.removeprefix("php-fpm-") for host in hosts}
    wanted = min(2, len(state.inventory.nodes))
    expect(len(nodes) >= wanted, "pages.balance", count=len(samples), hosts=", ".join(hosts) or "none")
