"""Ticket stores: one protocol, a Mongo and an SQLite implementation."""
