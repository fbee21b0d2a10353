"""Caches and rate limiters: Redis when configured, in-process or database otherwise."""
