"""Outcome: what became of one inbound mail."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Outcome:
    """created, duplicate, ignored, command, comment or refused; with the ticket and a reason."""

    kind: str
    message_id: str
    ticket_id: str | None = None
    reason: str = ""
