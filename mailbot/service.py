"""handle_inbound: coordinate parsing, classification, workflow and the store for one mail."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from mailbot.classify import classify
from mailbot.errors import RejectedMail
from mailbot.models.ticket import Ticket
from mailbot.models.times import iso
from mailbot.parsers import parse_message
from mailbot.workflow import open_ticket, split_attachments

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Outcome:
    """What became of one inbound mail: created, duplicate or ignored."""

    kind: str
    message_id: str
    ticket_id: str | None = None
    reason: str = ""


@dataclass
class Prepared:
    """A new ticket made from one mail, ready to be stored (with others of its batch)."""

    message_id: str
    ticket: Ticket
    notifications: list
    requester_name: str
    kept: int
    dropped: int


def prepare_inbound(raw: bytes, deps, now: datetime) -> Outcome | Prepared:
    """Read one mail: an Outcome when there is nothing to store, else the ticket to store.

    Raises RejectedMail (the mail is parked) or StoreUnavailable (the mail waits)."""
    settings = deps.settings
    if len(raw) > settings.max_message_bytes:
        raise RejectedMail(f"message of {len(raw):,} bytes exceeds the {settings.max_message_bytes:,}-byte limit")
    msg = parse_message(raw)
    existing = deps.store.find_by_message_id(msg.message_id)
    if existing:
        log.info("%s already made ticket %s; nothing to do", msg.message_id, existing.id)
        return Outcome("duplicate", msg.message_id, existing.id)
    reason = _ignore_reason(msg, settings)
    if reason:
        log.info("%s ignored: %s", msg.message_id, reason)
        return Outcome("ignored", msg.message_id, reason=reason)
    if msg.sender is None:
        raise RejectedMail("no sender address (From, Sender and Reply-To are missing or unreadable)")
    fields = classify(msg, deps.rules, {"category": settings.default_category,
                                        "type": settings.default_type, "priority": settings.default_priority})
    kept, dropped = split_attachments(msg.attachments, settings.max_attachment_bytes)
    for att in kept:
        deps.blobs.put(att.data, att.sha256)
    ticket, notes = open_ticket(msg, fields, kept, dropped, settings.domain, now)
    return Prepared(msg.message_id, ticket, notes, msg.sender.name, len(kept), len(dropped))


def store_prepared(deps, batch: list[Prepared]) -> list[Outcome]:
    """Store a batch of new tickets in one atomic write; a Message-ID already stored is a duplicate."""
    saved = deps.store.create_tickets([(p.ticket, p.notifications, p.requester_name) for p in batch])
    outcomes = []
    for p, (ticket, created) in zip(batch, saved):
        if created:
            log.info("%s created ticket %s for %s (%s/%s/%s, %d attachments, %d dropped)", p.message_id,
                     ticket.id, ticket.created_by, ticket.category, ticket.type, ticket.priority, p.kept, p.dropped)
        else:
            log.info("%s is a duplicate of ticket %s", p.message_id, ticket.id)
        outcomes.append(Outcome("created" if created else "duplicate", p.message_id, ticket.id))
    return outcomes


def handle_inbound(raw: bytes, deps, now: datetime) -> Outcome:
    """Turn one raw mail into a stored ticket (once). Raises RejectedMail or StoreUnavailable."""
    result = prepare_inbound(raw, deps, now)
    return result if isinstance(result, Outcome) else store_prepared(deps, [result])[0]


def _ignore_reason(msg, settings) -> str | None:
    if msg.sender and msg.sender.email == settings.address.lower():
        return "sent from the helpdesk's own address (mail loop)"
    if msg.message_id.startswith("<mailbot.") and msg.message_id.endswith(f"@{settings.domain}>"):
        return "mailbot's own outgoing mail came back"
    if msg.auto_reason:
        return f"automatic mail ({msg.auto_reason})"
    return None


def park(raw: bytes, reason: str, origin: str, deps, now: datetime) -> int:
    """Quarantine a mail that could not be processed: its raw bytes and the reason."""
    sha = deps.blobs.put(raw)
    try:
        message_id = parse_message(raw).message_id
    except Exception:  # noqa: BLE001 - the mail may be what broke the parser
        from mailbot.parsers.refs import synthesize_id
        message_id = synthesize_id(raw)
    record = deps.store.add_quarantine(message_id, reason, origin, sha, len(raw), iso(now))
    log.warning("%s quarantined as #%s: %s", message_id, record, reason)
    return record
