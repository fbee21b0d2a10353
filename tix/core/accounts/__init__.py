"""Accounts: users, roles, verification and reset tokens, sessions, lockout."""
