"""Checking a cluster against the lesson: the registry, the facts a check may ask for, the diagnoses, the
catalog of what checks say, the runner and the reports."""

from .registry import check
from .results import Blocked, CheckFailure, CheckResult, NotApplicable, expect

__all__ = ["Blocked", "CheckFailure", "CheckResult", "NotApplicable", "check", "expect"]
