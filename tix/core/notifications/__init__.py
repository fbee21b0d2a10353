"""Notifications: outgoing mail, written as a row before it is sent, with retries."""
