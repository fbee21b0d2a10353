"""Mailers: a Maildir in the data dir (default) and SMTP."""
