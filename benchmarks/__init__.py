"""Sync, metrics and interaction benchmarks, reported as ratios (`python -m benchmarks [--quick]`)."""
