"""Pure workflow: new tickets, and the transition table that replies drive."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from mailbot.models.agent import level_rank
from mailbot.models.message import Attachment, InboundMessage
from mailbot.models.ticket import Ticket, history_entry
from mailbot.models.times import iso, parse_iso

NO_SUBJECT = "(no subject)"

# (status, action) -> (new status, who may do it, notifications). A small interpreter reads it.
TRANSITIONS = {
    ("open", "claim"): ("assigned", "agent", ("assigned_requester", "assigned_agent")),
    ("assigned", "resolve"): ("resolved", "assignee", ("resolved",)),
    ("assigned", "release"): ("open", "assignee", ("pool",)),
    ("resolved", "confirm"): ("closed", "requester", ("closed_requester", "closed_agent")),
    ("resolved", "reopen"): ("assigned", "requester", ("reopened",)),
    ("closed", "reopen"): ("assigned", "requester", ("reopened",)),
}
# Who receives each notification kind.
RECIPIENTS = {
    "assigned_requester": "requester", "assigned_agent": "assignee", "resolved": "requester",
    "closed_requester": "requester", "closed_agent": "assignee", "reopened": "assignee", "pool": "pool",
    "reminder": "requester", "handback": "previous", "escalated_admin": "admins",
}
#: History actions after which a ticket (re)enters a pool, and after which an assignment starts.
POOL_ENTRIES = ("created", "escalate", "release", "handback")
ASSIGNMENT_STARTS = ("claim", "reopen")


@dataclass(frozen=True)
class Actor:
    """Who sent a reply: their address, whether their token was valid, and their agent record."""

    email: str
    name: str = ""
    authenticated: bool = False
    agent: dict | None = None


@dataclass
class Decision:
    """The outcome of a command: the changed ticket and who to tell, or a refusal with its reason."""

    ticket: Ticket | None = None
    notify: list = field(default_factory=list)  # (kind, recipient)
    refusal: str | None = None


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
                now: datetime) -> Ticket:
    """The new ticket for a mail (its number is given by the store)."""
    at = iso(now)
    requester = msg.sender.email
    return Ticket(
        title=msg.subject or NO_SUBJECT, description=msg.text,
        category=fields["category"], type=fields["type"], priority=fields["priority"],
        created_by=requester, created_at=at, updated_at=at, source_message_id=msg.message_id,
        attachments=[a.meta() for a in kept], dropped_attachments=dropped, participants=[requester],
        history=[history_entry(at, requester, "created", msg.message_id,
                               category=fields["category"], type=fields["type"], priority=fields["priority"])])


def pool_agents(agents: list[dict], ticket: Ticket) -> list[dict]:
    """Active agents of the ticket's level who serve its category; all of that level if none does."""
    level = [a for a in agents if a.get("active", True) and a["level"] == ticket.level]
    serving = [a for a in level if ticket.category in a.get("categories", ())]
    return serving or level


def recipients(who: str, ticket: Ticket, agents: list[dict], admins: list[dict]) -> list[str]:
    """The addresses a notification goes to, from the RECIPIENTS table's roles."""
    if who == "pool":
        return [a["email"] for a in pool_agents(agents, ticket)]
    if who == "admins":
        return [a["email"] for a in admins]
    found = {"requester": ticket.created_by, "assignee": ticket.assignee,
             "previous": ticket.history[-1].get("previous")}.get(who)
    return [found] if found else []


def permitted(role: str, ticket: Ticket, actor: Actor) -> str | None:
    """None when ``actor`` may act in ``role`` on ``ticket``, else the reason they may not."""
    if not actor.authenticated:
        return "your reply does not carry the reference we sent to this address"
    if role == "agent":
        if not actor.agent or not actor.agent.get("active", True):
            return "only helpdesk agents can claim tickets"
        if level_rank(actor.agent["level"]) < level_rank(ticket.level):
            return f"this ticket needs an {ticket.level} agent or above"
    elif role == "assignee" and actor.email != ticket.assignee:
        return "only the agent who claimed this ticket can do that"
    elif role == "requester" and actor.email != ticket.created_by:
        return "only the person who raised this ticket can do that"
    return None


def decide(ticket: Ticket, action: str, actor: Actor, message_id: str, now: datetime,
           note: str = "", agent_names=None) -> Decision:
    """Apply one command to a ticket through the table; never raises for a refused command."""
    rule = TRANSITIONS.get((ticket.status, action))
    if rule is None:
        if action == "claim" and ticket.assignee:
            name = (agent_names or {}).get(ticket.assignee, ticket.assignee)
            return Decision(refusal=f"this ticket is already claimed by {name}")
        return Decision(refusal=f"a ticket that is {ticket.status} cannot be given '{action}'")
    status, role, kinds = rule
    reason = permitted(role, ticket, actor)
    if reason:
        return Decision(refusal=reason)
    at = iso(now)
    changed = ticket.record(at, actor.email, action, message_id, {"status": status}, **({"note": note} if note else {}))
    if action == "claim":
        changed.assignee = actor.email
    elif action == "release":
        changed.assignee = None
    if actor.email not in changed.participants:
        changed.participants = [*changed.participants, actor.email]
    return Decision(ticket=changed, notify=[(k, RECIPIENTS[k]) for k in kinds])


SYSTEM = "mailbot"


def sweep_resolved(ticket: Ticket, now: datetime, days: int) -> Decision | None:
    """Time rules for a resolved ticket: a reminder a day before auto-close, then the close itself."""
    if ticket.status != "resolved":
        return None
    resolved_at = max(h["at"] for h in ticket.history if h["action"] == "resolve")
    due = parse_iso(resolved_at) + timedelta(days=days)
    at = iso(now)
    if now >= due:
        changed = ticket.record(at, SYSTEM, "autoclose", None, {"status": "closed"},
                                reason=f"no answer within {days} days")
        return Decision(ticket=changed, notify=[("closed_requester", "requester"), ("closed_agent", "assignee")])
    reminded = any(h["action"] == "remind" and h["at"] >= resolved_at for h in ticket.history)
    if now >= due - timedelta(days=1) and not reminded:
        changed = ticket.record(at, SYSTEM, "remind", None)
        return Decision(ticket=changed, notify=[("reminder", "requester")])
    return None


def _since(ticket: Ticket, actions) -> datetime:
    return parse_iso(max(h["at"] for h in ticket.history if h["action"] in actions))


def next_level(level: str) -> str | None:
    """L1 -> L2 -> L3 -> None."""
    return {"L1": "L2", "L2": "L3"}.get(level)


def sweep_open(ticket: Ticket, now: datetime, minutes: dict) -> Decision | None:
    """An unclaimed ticket past its threshold climbs one level; past L3, the admins are alerted once."""
    if ticket.status != "open" or ticket.assignee:
        return None
    entered = _since(ticket, POOL_ENTRIES)
    if now < entered + timedelta(minutes=minutes[ticket.priority]):
        return None
    at, higher = iso(now), next_level(ticket.level)
    if higher:
        changed = ticket.record(at, SYSTEM, "escalate", None, {"level": higher}, level=higher,
                                reason=f"unclaimed for {minutes[ticket.priority]} minutes")
        return Decision(ticket=changed, notify=[("pool", "pool")])
    if any(h["action"] == "alert_admins" and parse_iso(h["at"]) >= entered for h in ticket.history):
        return None
    changed = ticket.record(at, SYSTEM, "alert_admins", None)
    return Decision(ticket=changed, notify=[("escalated_admin", "admins")])


def sweep_assigned(ticket: Ticket, now: datetime, hours: int) -> Decision | None:
    """A ticket held too long without being resolved goes back to the pool one level up."""
    if ticket.status != "assigned" or not ticket.assignee:
        return None
    if now < _since(ticket, ASSIGNMENT_STARTS) + timedelta(hours=hours):
        return None
    at, level = iso(now), next_level(ticket.level) or ticket.level
    changed = ticket.record(at, SYSTEM, "handback", None, {"status": "open", "assignee": None, "level": level},
                            previous=ticket.assignee, level=level, reason=f"not resolved within {hours} hours")
    return Decision(ticket=changed, notify=[("handback", "previous"), ("pool", "pool")])


#: Fields that can be set by reply: action -> (field, roles allowed, allowed values or None for any).
FIELD_COMMANDS = {
    "set_priority": ("priority", ("agent", "admin"), ("low", "medium", "high", "urgent")),
    "set_category": ("category", ("agent",), None),
    "set_type": ("type", ("agent",), ("incident", "problem", "change", "request")),
}


def set_field(ticket: Ticket, action: str, value: str, actor: Actor, is_admin: bool, message_id: str,
              now: datetime, categories=()) -> Decision:
    """Change the priority, category or type by reply, if the sender's role allows it."""
    field_name, roles, allowed = FIELD_COMMANDS[action]
    if not actor.authenticated:
        return Decision(refusal="your reply does not carry the reference we sent to this address")
    is_agent = bool(actor.agent and actor.agent.get("active", True))
    if not ((is_agent and "agent" in roles) or (is_admin and "admin" in roles)):
        who = "agents and admins" if "admin" in roles else "agents"
        return Decision(refusal=f"only {who} can change the {field_name}")
    value = value.strip().split()[0] if value.strip() else ""
    known = {c.lower(): c for c in (allowed or categories)}
    value = known.get(value.lower(), value)
    if not value or (allowed and value not in allowed) or len(value) > 40:
        choices = f" (use {', '.join(allowed)})" if allowed else ""
        return Decision(refusal=f"'{value}' is not a valid {field_name}{choices}")
    at = iso(now)
    changed = ticket.record(at, actor.email, action, message_id, {field_name: value},
                            **{"from": getattr(ticket, field_name), "to": value})
    return Decision(ticket=changed)
