"""The synthetic registry: invented, seeded, reproducible case records for demos and benchmarks."""
