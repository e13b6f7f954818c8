"""Weekly review assignments from the teams' sampling plans, and reviewer workload."""
