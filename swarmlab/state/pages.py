"""Reading the lesson's page the way the lesson shows it: a heading `Хост - <php-fpm
hostname>` and a table of posts (ID, text).

Parsing the visible structure, not this project's own ids and classes, keeps
the checks valid on the lesson's original page as well as on ours.
"""

import re
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Optional

HOST = re.compile(r"Хост\s*[-–—:]\s*(\S+)")


@dataclass(frozen=True)
class Page:
    status: int
    host: Optional[str]
    posts: tuple  # ((id, text), ...)
    text: str
    location: Optional[str] = None  # where a redirect would send a browser (never followed)


class _Reader(HTMLParser):
    def __init__(self):
        super().__init__()
        self.headings, self.rows, self.text = [], [], []
        self._heading, self._row, self._cell = None, None, None

    def handle_starttag(self, tag, attrs):
        if tag in ("h1", "h2", "h3"):
            self._heading = []
        elif tag == "tr":
            self._row = []
        elif tag == "td" and self._row is not None:
            self._cell = []

    def handle_endtag(self, tag):
        if tag in ("h1", "h2", "h3") and self._heading is not None:
            self.headings.append("".join(self._heading).strip())
            self._heading = None
        elif tag == "td" and self._cell is not None:
            if self._row is not None:
                self._row.append("".join(self._cell).strip())
            self._cell = None
        elif tag == "tr" and self._row is not None:
            if self._row:
                self.rows.append(tuple(self._row))
            self._row = None

    def handle_data(self, data):
        self.text.append(data)
        for buffer in (self._heading, self._cell):
            if buffer is not None:
                buffer.append(data)


def parse(status: int, html: str, location: Optional[str] = None) -> Page:
    reader = _Reader()
    reader.feed(html)
    host = next((m.group(1) for h in reader.headings if (m := HOST.search(h))), None)
    posts = tuple((row[0], row[1]) for row in reader.rows if len(row) >= 2 and row[0].isdigit())
    return Page(status, host, posts, " ".join(" ".join(reader.text).split()), location)
