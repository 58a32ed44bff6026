"""The lab's stand-in for the Portainer panel of the lesson's part 2, run inside the cluster by the portainer stack.

It keeps the contract the lesson relies on (HTTPS on 9443 with a self-signed
certificate, an admin user created on the first visit, the stacks, services,
containers with their logs, volumes and a cluster picture) and reads the swarm
only through the agents on agent_network, with the dashboard's own read side
and views: nothing in it can change the cluster.
"""
