"""Build-time tooling for Kubernetes Field Notes: checks, generators, PDF and bench."""
