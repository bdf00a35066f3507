"""The system of record: SQLAlchemy 2 models, Alembic migrations and the repository functions.

Public entry points: `amnesty.store.db` (engines, sessions, database URL), `amnesty.store.migrate`
(`upgrade(url)`), `amnesty.store.models` (tables) and `amnesty.store.repository` (services).
"""
