"""Grading a class: the roster, the rubric, the grader's workers, the gradebook and its LMS exports."""

import os

# Students graded at once. A student's grading is nearly all waiting on the network (about 0.08 s of CPU in the
# 2-4 s a student 50-200 ms away takes), so some 48 students in flight keep a core busy; more would only queue
# for the CPU and stretch every student's time toward its timeouts. Memory is not what bounds it: a student in
# flight holds about 1 MiB.
JOBS_PER_CORE = 48


def usable_cores() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


DEFAULT_JOBS = JOBS_PER_CORE * usable_cores()
DEFAULT_TIMEOUT = 300.0
FORMATS = ("moodle", "canvas")  # the LMS exports `swarmlab grade --lms` writes
