"""Compose notifications: recipient token, threading headers and context, ready for the outbox."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from mailbot.models.notification import Notification
from mailbot.models.ticket import Ticket
from mailbot.notifier.tokens import sign


@dataclass(frozen=True)
class Composer:
    """Builds each outgoing mail with the recipient's own signed token (pure: no I/O)."""

    secret: str
    address: str
    plus_addressing: bool = False

    def note(self, kind: str, to: str, ticket: Ticket, at: str, in_reply_to: str | None = None,
             references=(), **context) -> Notification:
        token = sign(self.secret, ticket.id, to)
        local, _, domain = self.address.partition("@")
        reply_to = f"{local}+{token}@{domain}" if self.plus_addressing else self.address
        refs = [*list(references)[-10:], *([in_reply_to] if in_reply_to else [])]
        refs = list(dict.fromkeys([ticket.source_message_id, *refs]))
        return Notification(kind=kind, to=to, message_id=f"<mailbot.{kind}.{uuid.uuid4().hex[:16]}.{token}@{domain}>",
                            in_reply_to=in_reply_to or ticket.source_message_id, references=refs,
                            context={"token": token, "reply_to": reply_to, **context}, created_at=at,
                            ticket_id=ticket.id)
