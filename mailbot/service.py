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
from mailbot.models.message import InboundMessage
from mailbot.models.outcome import Outcome
from mailbot.replies import answer_status, find_thread, handle_reply, is_status_request
from mailbot.workflow import open_ticket, pool_agents, split_attachments

log = logging.getLogger(__name__)


@dataclass
class Prepared:
    """A new ticket made from one mail, ready to be numbered and stored with others of its batch."""

    msg: InboundMessage
    ticket: Ticket
    kept: int
    dropped: int

    @property
    def message_id(self) -> str:
        return self.msg.message_id


def prepare_inbound(raw: bytes, deps, now: datetime) -> Outcome | Prepared:
    """Read one mail: a reply is applied at once (an Outcome); a new request becomes a Prepared ticket.

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
    thread = find_thread(msg, deps)
    if thread is not None:
        return handle_reply(msg, thread, deps, now)
    if is_status_request(msg):
        return answer_status(msg, deps, now)
    fields = classify(msg, deps.rules, {"category": settings.default_category,
                                        "type": settings.default_type, "priority": settings.default_priority})
    kept, dropped = split_attachments(msg.attachments, settings.max_attachment_bytes)
    for att in kept:
        deps.blobs.put(att.data, att.sha256)
    return Prepared(msg, open_ticket(msg, fields, kept, dropped, now), len(kept), len(dropped))


def store_prepared(deps, batch: list[Prepared]) -> list[Outcome]:
    """Number and store a batch of new tickets in one atomic write, each with its acknowledgement
    and its pool notification; a Message-ID already stored is a duplicate."""
    first = deps.store.reserve_numbers(len(batch))
    agents = deps.store.list_people("agent")
    items = []
    for offset, p in enumerate(batch):
        p.ticket.number = first + offset
        items.append((p.ticket, new_ticket_notes(p, agents, deps.composer), p.msg.sender.name))
    saved = deps.store.create_tickets(items)
    outcomes = []
    for p, (ticket, created) in zip(batch, saved):
        if created:
            log.info("%s created ticket %s for %s (%s/%s/%s, %d attachments, %d dropped)", p.message_id,
                     ticket.id, ticket.created_by, ticket.category, ticket.type, ticket.priority, p.kept, p.dropped)
        else:
            log.info("%s is a duplicate of ticket %s", p.message_id, ticket.id)
        outcomes.append(Outcome("created" if created else "duplicate", p.message_id, ticket.id))
    return outcomes


def new_ticket_notes(p: Prepared, agents: list[dict], composer) -> list:
    """The acknowledgement to the requester and the pool notification to the ticket's level."""
    t, at = p.ticket, p.ticket.created_at
    ack = composer.note("ack", t.created_by, t, at, p.msg.message_id, p.msg.references,
                        requester_name=p.msg.sender.name or t.created_by)
    return [ack, *(composer.note("pool", a["email"], t, at) for a in pool_agents(agents, t))]


def handle_inbound(raw: bytes, deps, now: datetime) -> Outcome:
    """Turn one raw mail into a stored ticket or an applied reply (once). Raises RejectedMail or
    StoreUnavailable."""
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
