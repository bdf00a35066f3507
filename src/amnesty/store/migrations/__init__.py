"""Alembic migrations of the store (run programmatically by `amnesty.store.migrate`)."""
