"""Benchmarks that start the product's own processes and write their figures to docs/benchmarks.md."""
