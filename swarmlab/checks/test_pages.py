"""Stage pages: every node the lesson opens in a browser serves the same posts from one database, and the
php-fpm hostname changes from request to request.

A page is judged only where its prerequisites hold: a gateway runs on that
node, php-fpm runs and the overlay carries its packets, the db is healthy.
What a browser would show, and why, is said in the student's terms.
"""

from swarmlab.checking import Blocked, check, expect
from swarmlab.checking.diagnose import why_page_fails
from swarmlab.lesson.spec import PHP_FPM, node_in_hostname, template_shows_node
from swarmlab.state.pages import Page


def prerequisites(facts) -> None:
    facts.running(PHP_FPM)
    facts.require_healthy_db()
    facts.require_overlay()


@check("pages", "every_node_answers_200_with_the_posts_table")
def every_node_answers_200_with_the_posts_table(facts):
    prerequisites(facts)
    for name in facts.ingress_nodes():
        facts.gateway_on(name)
    for name in facts.ingress_nodes():
        page = facts.page(name)
        if not isinstance(page, Page) or page.status != 200 or not page.posts:
            if not facts.manager_runs_gateway_on(name):  # it ran for a moment in the node's read: a restart loop
                raise Blocked("blocked.no_gateway_on", node=name)
            raise why_page_fails(facts, name, page, facts.reader.cluster.address(name))


@check("pages", "every_node_shows_the_same_posts")
def every_node_shows_the_same_posts(facts):
    prerequisites(facts)
    facts.needs_several_nodes()
    pages = {name: facts.page(name) for name in facts.gateway_nodes()}
    seen = {name: page.posts for name, page in pages.items() if isinstance(page, Page) and page.status == 200}
    if len(seen) < 2:
        raise Blocked("blocked.page", node=next(n for n in pages if n not in seen))
    expect(
        len(set(seen.values())) == 1,
        "pages.differ",
        detail="; ".join(f"{name}: {len(posts)} posts" for name, posts in seen.items()),
    )


@check("pages", "php_fpm_hostnames_from_several_nodes_appear")
def php_fpm_hostnames_from_several_nodes_appear(facts):
    prerequisites(facts)
    facts.needs_several_nodes()
    php = facts.service(PHP_FPM)
    if not template_shows_node(php.hostname, facts.part.service(PHP_FPM)):
        raise Blocked("blocked.template", template=php.hostname)
    php_nodes = sorted(facts.running(PHP_FPM))
    if len(php_nodes) < 2:
        raise Blocked("blocked.one_php_node", nodes=", ".join(php_nodes))
    node = facts.gateway_nodes()[0]
    samples = facts.samples(node, nodes_wanted=2)
    if not any(isinstance(p, Page) and p.status == 200 for p in samples):
        raise Blocked("blocked.page", node=node)
    hosts = sorted({p.host for p in samples if isinstance(p, Page) and p.host})
    nodes = {node_in_hostname(h, facts.names) or h for h in hosts}
    spread = ", ".join(f"{n}={len(t)}" for n, t in sorted(facts.running(PHP_FPM).items()))
    expect(
        len(nodes) >= 2,
        "pages.balance",
        node=node,
        count=len(samples),
        hosts=", ".join(hosts) or "none",
        spread=spread,
        mode=php.endpoint_mode,
    )
