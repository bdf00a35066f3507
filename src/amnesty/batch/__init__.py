"""Bulk runs: a whole registry extract decided in one run, with nothing lost (see docs/batch.md)."""
