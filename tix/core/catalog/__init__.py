"""Catalog: events, venues, ticket types, search, suggestions, popularity."""
