"""Persistent user data: annotations, reading positions, settings (SQLite)."""
