"""Grading a class: the roster, the rubric, the grader's workers, the gradebook and its LMS exports."""

DEFAULT_JOBS = 8
DEFAULT_TIMEOUT = 300.0
FORMATS = ("moodle", "canvas")  # the LMS exports `swarmlab grade --lms` writes
