"""Mailbox adapters: IMAP for production, Maildir for local delivery and the demo."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class MailboxState:
    """Where the mailbox stands: its UIDVALIDITY (None if it has no UIDs) and its pending UIDs."""

    uidvalidity: int | None
    uids: list
