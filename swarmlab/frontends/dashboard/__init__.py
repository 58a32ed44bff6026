"""The dashboard: a live web page of one cluster and the lesson's checks, or of a whole class being graded.

data.py turns what the read side saw into one JSON-ready snapshot per refresh
(the only thing the pages in static/ know), app.py refreshes it in one place and
pushes it to every open page over server-sent events.
"""
