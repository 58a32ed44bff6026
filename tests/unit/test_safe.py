"""Text from a student's machines written anywhere stays text: no terminal sequence, no XML breakage, no formula
in a spreadsheet, no markup in a page, and no secret, whole, split across lines or cut."""

import csv
import io
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

from hypothesis import given, settings
from hypothesis import strategies as st

from swarmlab import safe
from swarmlab.checking.reports import JunitReport
from swarmlab.checking.results import CheckResult
from swarmlab.grading import gradebook
from swarmlab.secrets import MASK, PIECE, Masker

ANYTHING = st.text(alphabet=st.characters(codec="utf-8"), max_size=80)
SECRET = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789-_", min_size=6, max_size=24)
FILLER = st.text(alphabet=" .,;:!?()[]<>=+/\\\n\tЖжЩщ", max_size=40)


@settings(max_examples=300, deadline=None)
@given(ANYTHING)
def test_plain_text_holds_no_control_character_but_tab_and_newline(text):
    assert not safe.CONTROL.search(safe.plain(text))


@settings(max_examples=300, deadline=None)
@given(ANYTHING)
def test_a_cell_never_starts_a_formula_and_reads_back_as_written(text):
    cell = safe.cell(text)
    assert not cell.startswith(safe.FORMULA_START)
    buffer = io.StringIO()
    csv.writer(buffer).writerow([cell])
    assert next(csv.reader(io.StringIO(buffer.getvalue()))) == [cell]


def result(text: str) -> CheckResult:
    return CheckResult(
        "join",
        "every_node_is_ready_and_active",
        "failed",
        safe.plain(text),
        safe.plain(text),
        evidence=[safe.plain(text)],
    )


@settings(max_examples=200, deadline=None)
@given(ANYTHING)
def test_junit_of_any_result_is_well_formed_xml(text):
    ET.fromstring(JunitReport().render([result(text)], "lab").split("\n", 1)[1])


class Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags, self.text = [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)

    def handle_data(self, data):
        self.text.append(data)


def report_of(text: str) -> str:
    grade = gradebook.Grade("s1", text, "m", "u", (result(text),), {"join": 0.0}, text, None, 1.0)
    book = gradebook.Gradebook(
        (grade,), ("join",), {"join": {"every_node_is_ready_and_active": 2}}, "roster.csv", "rubric.yaml", "en", "now"
    )
    return gradebook.html_text(book)


@settings(max_examples=150, deadline=None)
@given(ANYTHING)
def test_the_report_shows_any_text_as_text_and_adds_no_markup(text):
    benign, hostile = Tags(), Tags()
    benign.feed(report_of("plain words"))
    hostile.feed(report_of(text))
    assert hostile.tags == benign.tags


@settings(max_examples=300, deadline=None)
@given(SECRET, FILLER, FILLER)
def test_a_secret_is_masked_whole(secret, before, after):
    assert secret not in Masker(secret)(before + secret + after)


@settings(max_examples=300, deadline=None)
@given(SECRET, FILLER, FILLER, st.integers(min_value=1), st.sampled_from(["\n", "\r\n", "\n  "]))
def test_a_secret_split_across_lines_is_masked(secret, before, after, where, newline):
    cut = 1 + where % (len(secret) - 1)
    text = before + secret[:cut] + newline + secret[cut:] + after
    shown = Masker(secret)(text)
    assert MASK in shown and secret not in shown.replace("\n", "").replace("\r", "").replace(" ", "")


@settings(max_examples=300, deadline=None)
@given(SECRET, FILLER, st.integers(min_value=0))
def test_a_secret_cut_at_the_end_leaves_no_more_than_half_of_it(secret, before, where):
    most = max(PIECE, (len(secret) + 1) // 2)
    keep = most + where % (len(secret) - most + 1)
    shown = Masker(secret)(before + secret[:keep])
    assert not any(shown.endswith(secret[:size]) for size in range(most, len(secret) + 1))


def test_a_join_token_is_masked_even_cut_to_its_first_part():
    token = "-".join(("SWMTKN", "1", "a" * 50, "b" * 25))
    assert token not in Masker()(f"join {token}") and token[:30] not in Masker()(f"join {token[:40]}")
