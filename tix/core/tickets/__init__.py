"""Tickets: one per seat, a readable number, a QR payload anyone can verify offline."""
