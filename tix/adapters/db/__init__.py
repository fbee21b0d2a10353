"""SQLAlchemy persistence: SQLite (embedded default) and PostgreSQL."""
