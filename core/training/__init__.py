"""Fitting models: the run configuration and the executor a worker process runs."""
