"""What-if impact of a variant of the law: a YAML overlay on the law pack, run against the baseline over
the same records, compared person by person."""
