"""Grading a class: the roster, the rubric, the grader's workers, the gradebook and its LMS exports."""
