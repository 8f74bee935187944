"""Benchmarks; importable so tests can share their evaluation helpers."""
