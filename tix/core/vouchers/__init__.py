"""Vouchers: codes an organizer gives out for a discount or to unlock hidden ticket types."""
