"""Benchmarks: each prints its time against a baseline measured in the same run."""
