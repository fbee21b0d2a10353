"""Packaging pyproject.toml cannot say: Alembic's `migrations/` sits at the top of the
repository, beside `tix/`, and ships inside the wheel as `tix/migrations`, so `tix db upgrade`
works from an installed package. Everything else is in pyproject.toml."""

from __future__ import annotations

from setuptools import find_namespace_packages, setup

setup(
    # The namespace finder, as pyproject's packages.find would: templates and fonts are
    # directories without an __init__.py
    packages=[
        *find_namespace_packages(include=["tix", "tix.*"], exclude=["tix.migrations*"]),
        "tix.migrations",
        "tix.migrations.versions",
    ],
    package_dir={"tix.migrations": "migrations"},
)
