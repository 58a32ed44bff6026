"""Words a student or an instructor reads, in Russian (the lesson's language) and English: one module per language.

One language at a time: with `--lang ru` nothing English reaches a Russian reader. The language is `--lang`, else
$SWARMLAB_LANG, else Russian. Keys are dotted and shared by both modules:

- `ssh.*`, `fetch.*`: why a node or a page could not be reached;
- `outcome.*`, `column.*`, `summary*`, `grade.*`: results as tables and statuses show them;
- `title.<check id>`: each check's title; `<catalog key>` and `<catalog key>.hint`: what a check says when it
  does not pass, and what to do (checking/catalog.py);
- `book.*`: the gradebook's page; `page.*`: the dashboard's, the class board's and the panel's scripts (in a JSON
  block of each page; `page.stage.*` the stages' titles, `page.panel.*` the panel's own); `form.*`: the panel's
  forms; `magic.*`: the notebooks' magics.
"""

import os

from . import en, ru

LANGS = ("ru", "en")
DEFAULT_LANG = "ru"
ENV = "SWARMLAB_LANG"
WORDS = {"ru": ru.WORDS, "en": en.WORDS}


def tr(key: str, lang: str = DEFAULT_LANG, /, **params) -> str:
    return WORDS[lang][key].format(**params)


def family(prefix: str, lang: str) -> dict:
    """{rest of the key: words} of one family of keys (`page` gives the dashboard's words, say)."""
    start = prefix + "."
    return {key[len(start) :]: text for key, text in WORDS[lang].items() if key.startswith(start)}


def page_words(lang: str) -> dict:
    """What the pages' scripts read: the `page.*` family, and the answers' states (`answer.*`) in the words that
    `swarmlab answers` and the gradebook use."""
    return {**family("page", lang), **{f"answer.{key}": text for key, text in family("answer", lang).items()}}


def chosen(lang=None) -> str:
    """The language asked for (`--lang`), else the one kept in $SWARMLAB_LANG, else the lesson's."""
    return lang or (os.environ.get(ENV) if os.environ.get(ENV) in LANGS else DEFAULT_LANG)
