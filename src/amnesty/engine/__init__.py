"""The engine: pure functions that apply a law pack to a validated record (no I/O, no clock)."""
