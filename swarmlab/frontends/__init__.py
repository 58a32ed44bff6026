"""What people use: the `swarmlab` command, the notebooks' magics and the dashboard."""
