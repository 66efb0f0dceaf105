"""The reply controller: thread a reply to its ticket, then apply its command or relay it."""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from mailbot.errors import ConflictError, NotFound
from mailbot.models.outcome import Outcome
from mailbot.models.ticket import Ticket
from mailbot.models.times import iso, parse_iso
from mailbot.notifier.tokens import TOKEN, find_tokens, verify
from mailbot.models.notification import Notification
from mailbot.parsers.keywords import STATUS_KEYWORDS, find_command
from mailbot.parsers.refs import bare_subject, subject_ticket
from mailbot.parsers.reply import reply_text
from mailbot.workflow import FIELD_COMMANDS, Actor, decide, recipients, set_field

log = logging.getLogger(__name__)
REFUSAL_INTERVAL = timedelta(hours=1)


@dataclass(frozen=True)
class Thread:
    """The ticket a reply belongs to, how it was found, and whether the sender's token is valid."""

    ticket: Ticket
    via: str
    authenticated: bool


def find_thread(msg, deps) -> Thread | None:
    """Token, then In-Reply-To/References, then the subject tag (only for a participant)."""
    refs = [msg.in_reply_to or "", *msg.references]
    for token in find_tokens(*refs, *(a.email for a in msg.recipients), msg.text):
        number = verify(deps.settings.secret, token, msg.sender.email)
        if number is not None:
            return _thread(deps, number, "token", True)
    for token in find_tokens(*refs):  # ours, but issued to someone else: threaded, not trusted
        return _thread(deps, int(TOKEN.fullmatch(token).group(1)), "references", False)
    tagged = subject_ticket(msg.subject)
    if tagged:
        thread = _thread(deps, tagged, "subject", False)
        if thread and msg.sender.email in thread.ticket.participants:
            return thread
    return None


def _thread(deps, number: int, via: str, authenticated: bool) -> Thread | None:
    try:
        return Thread(deps.store.get_ticket(f"T-{number}"), via, authenticated)
    except NotFound:
        return None


def handle_reply(msg, thread: Thread, deps, now: datetime, attempts: int = 3) -> Outcome:
    """Apply the reply; on a concurrent change (ConflictError), read the ticket again and retry."""
    ticket = thread.ticket
    for _ in range(attempts):
        try:
            return _apply(msg, ticket, thread.authenticated, deps, now)
        except ConflictError:
            ticket = deps.store.get_ticket(ticket.id)
    raise ConflictError(f"{msg.message_id}: ticket {ticket.id} kept changing; will retry")


def _apply(msg, ticket: Ticket, authenticated: bool, deps, now: datetime) -> Outcome:
    if any(h.get("message_id") == msg.message_id for h in ticket.history):
        return Outcome("duplicate", msg.message_id, ticket.id)
    text = reply_text(msg.text)
    command = find_command(text, msg.subject, deps.settings.keywords)
    agents = deps.store.list_people("agent")
    actor = Actor(msg.sender.email, msg.sender.name, authenticated,
                  next((a for a in agents if a["email"] == msg.sender.email), None))
    if command is None:
        return _comment(msg, ticket, text, actor, deps, now)
    names = {a["email"]: a["name"] for a in agents}
    admins = deps.store.list_people("admin")
    if command.action in FIELD_COMMANDS:
        is_admin = any(a["email"] == actor.email for a in admins)
        categories = {r["value"] for r in deps.settings.rules if r["field"] == "category"}
        decision = set_field(ticket, command.action, command.argument, actor, is_admin, msg.message_id, now,
                             categories | {deps.settings.default_category})
    else:
        decision = decide(ticket, command.action, actor, msg.message_id, now, command.argument, names)
    if decision.refusal:
        return _refuse(msg, ticket, text, actor, command.action, decision.refusal, deps, now)
    changed = decision.ticket
    notes = [n for kind, who in decision.notify
             for n in _notes(kind, recipients(who, changed, agents, admins), changed, msg, actor, names,
                             command.argument, deps, now, skip_actor=who == "pool")]
    deps.store.save(changed, notes)
    log.info("%s %s ticket %s (now %s)", msg.message_id, command.action, changed.id, changed.status)
    return Outcome("command", msg.message_id, changed.id, command.action)


def _notes(kind, targets, ticket, msg, actor, names, note, deps, now, skip_actor) -> list:
    agent_name = names.get(ticket.assignee or "", ticket.assignee or "")
    return [deps.composer.note(kind, to, ticket, iso(now), msg.message_id, msg.references, note=note,
                               agent_name=agent_name, autoclose_days=deps.settings.autoclose_days)
            for to in targets if not (skip_actor and to == actor.email)]


def _comment(msg, ticket, text, actor, deps, now) -> Outcome:
    """Keep the reply with the ticket and relay it between requester and assignee."""
    at = iso(now)
    changed = ticket.record(at, actor.email, "comment", msg.message_id, text=text, full_text=msg.text)
    relay_to = {ticket.created_by: ticket.assignee, ticket.assignee: ticket.created_by}.get(actor.email)
    notes = []
    if relay_to:
        notes.append(deps.composer.note("comment", relay_to, changed, at, msg.message_id, msg.references,
                                        author=actor.name or actor.email, text=text))
    deps.store.save(changed, notes)
    log.info("%s added a comment to ticket %s%s", msg.message_id, ticket.id,
             f" (relayed to {relay_to})" if notes else "")
    return Outcome("comment", msg.message_id, ticket.id)


def _refuse(msg, ticket, text, actor, action, reason, deps, now) -> Outcome:
    """Keep the mail as a comment and answer, at most once an hour per sender and ticket, why."""
    at = iso(now)
    recent = [h for h in ticket.history if h["action"] == "refused" and h["actor"] == actor.email
              and now - parse_iso(h["at"]) < REFUSAL_INTERVAL]
    changed = ticket.record(at, actor.email, "refused", msg.message_id, command=action, reason=reason, text=text)
    notes = [] if recent else [deps.composer.note("refused", actor.email, changed, at, msg.message_id,
                                                  msg.references, command=action, reason=reason)]
    deps.store.save(changed, notes)
    log.info("%s: '%s' on ticket %s refused (%s)", msg.message_id, action, ticket.id, reason)
    return Outcome("refused", msg.message_id, ticket.id, reason)


def is_status_request(msg) -> bool:
    """A new mail whose subject or first line is just "status" (or "my tickets")."""
    first = next((x for x in reply_text(msg.text).splitlines() if x.strip()), "")
    subject = bare_subject(msg.subject)
    return any(text.strip(" .!?:").lower() in STATUS_KEYWORDS for text in (first, subject))


def answer_status(msg, deps, now: datetime) -> Outcome:
    """Reply with the sender's own tickets, and only theirs (once per request)."""
    mine = deps.store.list_tickets(requester=msg.sender.email)
    note = Notification(kind="status_report", to=msg.sender.email,
                        message_id=f"<mailbot.status_report.{uuid.uuid4().hex[:16]}@{deps.settings.domain}>",
                        in_reply_to=msg.message_id, references=[*msg.references[-10:], msg.message_id],
                        context={"requester": msg.sender.email,
                                 "tickets": [{"id": t.id, "status": t.status, "title": t.title} for t in mine]},
                        created_at=iso(now), id=str(uuid.uuid5(uuid.NAMESPACE_URL, msg.message_id)))
    if not deps.store.add_mail(note):
        return Outcome("duplicate", msg.message_id)
    log.info("%s asked for the status of their tickets: %d listed", msg.message_id, len(mine))
    return Outcome("status", msg.message_id, reason=f"{len(mine)} tickets")
