"""Rendering: mail templates (and later QR codes, PDFs, calendar files)."""
