"""Reaching nodes: one small Node interface (run, check_output, stream, put), the SSH and replay backends
behind it, the recorder between them, and the inventory that says where the nodes are."""
