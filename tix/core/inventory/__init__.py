"""Inventory: availability per ticket type, holds, per-person limits."""
