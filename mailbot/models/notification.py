"""Notification: one outgoing mail waiting in the outbox, and its retry policy."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from mailbot import constants as C
from mailbot.models.times import iso

PENDING, SENDING, SENT, FAILED = "pending", "sending", "sent", "failed"


@dataclass
class Notification:
    """An outgoing mail: its kind names the template that renders it."""

    kind: str
    to: str
    message_id: str
    in_reply_to: str | None
    references: list[str]
    context: dict
    created_at: str
    ticket_id: str = ""
    id: str = field(default_factory=lambda: uuid.uuid4().hex)
    status: str = PENDING
    attempts: int = 0
    next_attempt_at: str = ""
    last_error: str = ""
    sent_at: str = ""

    def __post_init__(self):
        self.next_attempt_at = self.next_attempt_at or self.created_at

    def to_dict(self) -> dict:
        return {name: getattr(self, name) for name in self.__dataclass_fields__}

    @classmethod
    def from_dict(cls, data: dict) -> "Notification":
        known = cls.__dataclass_fields__
        return cls(**{k: v for k, v in data.items() if k in known})


def new_message_id(domain: str, kind: str) -> str:
    """A fresh, globally unique Message-ID for one outgoing mail."""
    return f"<mailbot.{kind}.{uuid.uuid4().hex}@{domain}>"


def after_failure(note: Notification, error: str, permanent: bool, now: datetime,
                  max_attempts: int = C.SEND_MAX_ATTEMPTS, base: int = C.SEND_RETRY_SECONDS) -> dict:
    """The outbox fields to store after a failed attempt: retry with backoff, or give up."""
    attempts = note.attempts + 1
    if permanent or attempts >= max_attempts:
        return {"status": FAILED, "attempts": attempts, "last_error": error}
    delay = min(base * 2 ** (attempts - 1), C.SEND_RETRY_MAX_SECONDS)
    return {"status": PENDING, "attempts": attempts, "last_error": error,
            "next_attempt_at": iso(now + timedelta(seconds=delay))}


def after_success(note: Notification, now: datetime) -> dict:
    """The outbox fields to store once the SMTP server accepted the mail."""
    return {"status": SENT, "attempts": note.attempts + 1, "sent_at": iso(now), "last_error": ""}
