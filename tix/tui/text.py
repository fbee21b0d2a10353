"""User text inside the box office's markup: shown as typed, never taken for a style."""

from __future__ import annotations


def escape(text: str) -> str:
    """Every "[" escaped, not only those that look like a tag: a stray "[/" in a name
    would otherwise pair with a "]" further along the line and break it."""
    return text.replace("[", r"\[")
