"""Outgoing mail: rendering (pure) and the SMTP sender (adapter)."""
