"""Repositories: translate between rows and core objects, one file per core module."""
