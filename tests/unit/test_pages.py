"""The lesson's page is read by what a student sees: `Хост - <hostname>` and a table of posts."""

from swarmlab.state import pages

LESSON_LIKE = """<html><body>
<h2>Хост - php-fpm-worker-2</h2>
<table border="1">
  <tr><th>ID</th><th>Текст</th></tr>
  <tr><td>1</td><td>Первый пост</td></tr>
  <tr><td>2</td><td>Второй &amp; последний</td></tr>
</table></body></html>"""

OURS = """<!doctype html><meta charset="utf-8"><h1 id="host">Хост - php-fpm-manager</h1>
<table id="posts"><tr><th>ID</th><th>Текст</th></tr>
<tr class="post"><td>1</td><td>Привет из Docker Swarm!</td></tr></table>"""


def test_the_lessons_own_markup_is_read_without_ids_or_classes():
    page = pages.parse(200, LESSON_LIKE)
    assert page.host == "php-fpm-worker-2"
    assert page.posts == (("1", "Первый пост"), ("2", "Второй & последний"))


def test_this_projects_page_reads_the_same_way():
    page = pages.parse(200, OURS)
    assert (page.host, page.posts) == ("php-fpm-manager", (("1", "Привет из Docker Swarm!"),))


def test_a_page_without_posts_has_an_empty_table_and_its_text_kept():
    page = pages.parse(503, "<h1>База данных недоступна</h1><p>Попробуйте позже</p>")
    assert (page.host, page.posts) == (None, ())
    assert "База данных недоступна" in page.text
