"""Fake student hosts on loopback: SSH and web servers answering what a recorded cluster answered.

sshd and web serve hosts (and misbehave as a broken VM does), recorded turns a
Recording into such hosts, classroom makes a whole class of them for a run.
"""
