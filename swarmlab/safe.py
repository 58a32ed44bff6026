"""Text from a student's machines made safe for where it is written: a terminal, a CSV cell, XML, a page.

Everything a student's nodes send is hostile input (they have root): a hostname, a task's error, a log line or a
page may carry control sequences that retitle or clear the instructor's terminal and break XML, or begin with a
character that a spreadsheet takes for a formula. Each output path applies one of these, so that none of it can
act as anything but text.
"""

import re

# C0 controls but tab and newline, DEL, and C1 controls (ESC starts every terminal sequence; CSI is \x9b).
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# OWASP's rule for CSV injection: a cell beginning with one of these is a formula to a spreadsheet.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def plain(text: str) -> str:
    """The text with every control character removed (tab and newline kept): safe on a terminal and in XML."""
    return CONTROL.sub("", text)


def one_line(text: str) -> str:
    """Plain, on one line."""
    return " ".join(plain(text).split())


def cell(value) -> str:
    """A CSV cell that a spreadsheet shows as text: plain, and prefixed with ' where it would start a formula."""
    text = plain(str(value))
    return "'" + text if text.startswith(FORMULA_START) else text
