"""Ticket: the unit of work in the common pool, with its history."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from mailbot import constants as C
from mailbot.errors import NotFound


@dataclass
class Ticket:
    """A support request raised by email."""

    title: str
    description: str
    category: str
    type: str
    priority: str
    created_by: str
    created_at: str
    source_message_id: str
    status: str = "open"
    level: str = "L1"
    assignee: str | None = None
    attachments: list[dict] = field(default_factory=list)
    dropped_attachments: list[dict] = field(default_factory=list)
    history: list[dict] = field(default_factory=list)
    participants: list[str] = field(default_factory=list)
    number: int | None = None
    updated_at: str = ""
    version: int = 1

    @property
    def id(self) -> str:
        return f"{C.TICKET_PREFIX}{self.number}" if self.number is not None else ""

    @property
    def tag(self) -> str:
        return C.TICKET_TAG_FORMAT.format(ticket_id=self.id)

    def record(self, at: str, actor: str, action: str, message_id: str | None, changes: dict | None = None,
               **detail) -> "Ticket":
        """A copy with ``changes`` applied and one more history line: who did what, when, from which mail."""
        return replace(self, **(changes or {}), updated_at=at,
                       history=[*self.history, history_entry(at, actor, action, message_id, **detail)])

    def to_dict(self) -> dict:
        """A shallow dict of the fields (plus ``id``), ready for a store to serialise."""
        data = {name: getattr(self, name) for name in self.__dataclass_fields__}
        data["id"] = self.id
        return data

    @classmethod
    def from_dict(cls, data: dict) -> "Ticket":
        known = cls.__dataclass_fields__
        return cls(**{k: v for k, v in data.items() if k in known})

    def public(self, *, with_history: bool = False) -> dict:
        """The JSON view printed by ``mailbot tickets``."""
        view = {k: getattr(self, k) for k in (
            "title", "description", "category", "type", "priority", "status",
            "level", "assignee", "created_by", "created_at")}
        view["id"] = self.id
        view["attachments"] = [
            {"filename": a["filename"], "content_type": a["content_type"], "size": a["size"]}
            for a in self.attachments]
        view["dropped_attachments"] = self.dropped_attachments
        view["source_message_id"] = self.source_message_id
        if with_history:
            view["history"] = self.history
        return view


def history_entry(at: str, actor: str, action: str, message_id: str | None, **detail) -> dict:
    """One line of a ticket's history: who did what, when, from which mail."""
    return {"at": at, "actor": actor, "action": action, "message_id": message_id, **detail}


def ticket_number(ticket_id) -> int:
    """The number in a ticket id such as ``T-42``, ``#T-42`` or ``42``; raises NotFound."""
    digits = str(ticket_id).strip().upper().removeprefix("#").removeprefix(C.TICKET_PREFIX)
    if not digits.isdigit():
        raise NotFound(f"not a ticket id: {ticket_id!r}")
    return int(digits)
