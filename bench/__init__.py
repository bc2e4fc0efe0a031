"""Benchmarks: `python -m bench` prints figures and writes bench/results/latest.md."""
