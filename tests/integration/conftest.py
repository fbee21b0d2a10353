"""Fixtures of the integration tests beyond the shared ones in tests/conftest.py."""

from tests.integration.old_databases import empty_database  # noqa: F401  (a fixture)
