"""Audit: an append-only, hash-chained record of every sensitive operation."""
