"""Wiring: the core (brain, assistant) joined to the database for each surface."""
