"""The pages' scripts, read as text: no way for data to become markup, and every word they ask for in swarmlab/i18n.

The browser suites (tests/hostile, tests/lab) prove what the pages do; these catch, in a second, a change that
brings back a way around them.
"""

import json
import re

import pytest

from swarmlab import i18n
from swarmlab.frontends.dashboard import app as dashboard
from swarmlab.frontends.panel import app as panel

STATIC = (dashboard.static(), panel.static())
SCRIPTS = sorted(p for folder in STATIC for p in folder.glob("*.js"))
PAGES = sorted(p for folder in STATIC for p in folder.glob("*.html"))
MARKUP = re.compile(
    r"innerHTML|outerHTML|insertAdjacentHTML|document\.write|DOMParser|createContextualFragment|setHTML"
    r"|\beval\(|new Function"
)


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: p.name)
def test_no_script_parses_markup_or_runs_text(script):
    assert not MARKUP.findall(script.read_text(encoding="utf-8"))


def test_every_word_a_script_or_a_page_asks_for_is_in_both_languages():
    asked = set()
    for script in SCRIPTS:
        text = script.read_text(encoding="utf-8")
        asked |= set(re.findall(r'\bt\("([a-z_]+)"\)', text))
        asked |= {f"panel.{key}" for key in re.findall(r'\bp\("([a-z_]+)"\)', text)}
    for page in PAGES:
        text = page.read_text(encoding="utf-8")
        asked |= set(re.findall(r'data-word="([a-z_]+)"', text))
        asked |= {f"panel.{key}" for key in re.findall(r'data-p="([a-z_]+)"', text)}
    assert len(asked) > 40
    for lang in i18n.LANGS:
        words = i18n.family("page", lang)
        assert not {key for key in asked if key not in words and key.removeprefix("panel.") not in words}, lang


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_a_page_carries_every_languages_words_and_nothing_that_closes_its_block(page):
    served = dashboard.page(page, "en")
    block = re.search(r'<script type="application/json" id="words">(.*?)</script>', served, re.S)
    # the panel's page keeps one hole, the session's token, which the panel fills for each request
    assert block and "{{" not in served.replace('content="{{token}}"', "").replace('value="{{token}}"', "")
    assert "<" not in block.group(1)
    assert json.loads(block.group(1)) == {lang: i18n.page_words(lang) for lang in i18n.LANGS}
    assert '<html lang="en">' in served


def test_the_words_block_cannot_be_closed_by_a_word(monkeypatch):
    monkeypatch.setitem(i18n.WORDS["en"], "page.trap", "</script><script>alert(1)</script>")
    served = dashboard.page(dashboard.static() / "cluster.html", "en")
    assert served.count("</script>") == (dashboard.static() / "cluster.html").read_text().count("</script>")
