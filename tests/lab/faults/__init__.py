"""The fault catalogue: each fault injected on the lab the way its real cause acts, caught by the check meant
for it with its cause, node and fix named, and by no unrelated check (tests/expectations.py).

It is in three parts, each on a lab of its own so that they run side by side (`make lab-faults`): the swarm and
its nodes (test_cluster.py), the network between them (test_network.py), and the stacks' services
(test_services.py).
"""
