"""InboundMessage: a mail parsed once at the boundary into a typed value."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Address:
    """A mailbox: display name and lower-cased address."""

    name: str
    email: str

    def __str__(self) -> str:
        return f"{self.name} <{self.email}>" if self.name else self.email


@dataclass(frozen=True)
class Attachment:
    """One attached (or inline) file, with its bytes."""

    filename: str
    content_type: str
    size: int
    sha256: str
    data: bytes = field(repr=False, default=b"")
    inline: bool = False

    def meta(self) -> dict:
        return {"filename": self.filename, "content_type": self.content_type,
                "size": self.size, "sha256": self.sha256, "inline": self.inline}


@dataclass(frozen=True)
class InboundMessage:
    """Everything mailbot reads from one mail."""

    message_id: str
    subject: str
    sender: Address | None
    to: tuple[Address, ...]
    cc: tuple[Address, ...]
    in_reply_to: str | None
    references: tuple[str, ...]
    text: str
    html: str | None
    attachments: tuple[Attachment, ...]
    date: str | None = None
    auto: tuple[str, str] | None = None  # (auto_reply or bounce, why) for automatic mail
    synthesized_id: bool = False
    defects: tuple[str, ...] = ()

    @property
    def auto_reason(self) -> str | None:
        return f"{self.auto[0]}: {self.auto[1]}" if self.auto else None

    @property
    def recipients(self) -> tuple[Address, ...]:
        return self.to + self.cc

    def summary(self) -> dict:
        """The JSON view printed by ``mailbot inspect``."""
        return {
            "message_id": self.message_id,
            "from": str(self.sender) if self.sender else None,
            "to": [str(a) for a in self.to],
            "cc": [str(a) for a in self.cc],
            "subject": self.subject,
            "date": self.date,
            "in_reply_to": self.in_reply_to,
            "references": list(self.references),
            "text": self.text,
            "attachments": [a.meta() for a in self.attachments],
            "is_auto_reply": bool(self.auto) and self.auto[0] == "auto_reply",
            "is_bounce": bool(self.auto) and self.auto[0] == "bounce",
            "auto_reason": self.auto_reason,
            "defects": list(self.defects),
        }
