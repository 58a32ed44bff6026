"""Checking a cluster against the lesson: facts, checks, diagnoses, the pytest plugin and its runner."""

from .results import Blocked, CheckFailure, CheckResult, NotApplicable, check, expect

__all__ = ["Blocked", "CheckFailure", "CheckResult", "NotApplicable", "check", "expect"]
