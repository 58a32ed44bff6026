"""The lesson: what it defines (spec), its files (level6), the commands that change a cluster, its steps and
the driver that performs them."""
