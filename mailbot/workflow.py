"""Pure workflow: a new mail becomes a ticket plus the notifications it owes."""

from __future__ import annotations

from datetime import datetime

from mailbot.models.message import Attachment, InboundMessage
from mailbot.models.notification import Notification, new_message_id
from mailbot.models.ticket import Ticket, history_entry
from mailbot.models.times import iso

NO_SUBJECT = "(no subject)"


def split_attachments(attachments, cap: int) -> tuple[list[Attachment], list[dict]]:
    """Attachments to keep, and a record of those dropped for exceeding the size cap."""
    kept, dropped = [], []
    for att in attachments:
        if att.size > cap:
            dropped.append({"filename": att.filename, "size": att.size,
                            "reason": f"larger than the {cap:,}-byte limit"})
        else:
            kept.append(att)
    return kept, dropped


def open_ticket(msg: InboundMessage, fields: dict, kept: list[Attachment], dropped: list[dict],
                domain: str, now: datetime) -> tuple[Ticket, list[Notification]]:
    """The new ticket for a mail, and its acknowledgement to the requester."""
    at = iso(now)
    requester = msg.sender.email
    ticket = Ticket(
        title=msg.subject or NO_SUBJECT, description=msg.text,
        category=fields["category"], type=fields["type"], priority=fields["priority"],
        created_by=requester, created_at=at, updated_at=at, source_message_id=msg.message_id,
        attachments=[a.meta() for a in kept], dropped_attachments=dropped, participants=[requester],
        history=[history_entry(at, requester, "created", msg.message_id,
                               category=fields["category"], type=fields["type"], priority=fields["priority"])])
    ack = reply_notification("ack", requester, msg, domain, at,
                             {"requester_name": msg.sender.name or requester})
    return ticket, [ack]


def reply_notification(kind: str, to: str, msg: InboundMessage, domain: str, at: str,
                       context: dict) -> Notification:
    """A notification that answers ``msg``: it threads under it (In-Reply-To, References)."""
    references = [*msg.references[-10:], msg.message_id]
    return Notification(kind=kind, to=to, message_id=new_message_id(domain, kind),
                        in_reply_to=msg.message_id, references=references, context=context, created_at=at)
