"""sweep: the time-based rules (escalation, stale assignments, auto-close), as of ``now``."""

from __future__ import annotations

import logging
from collections import Counter

from mailbot.contain import contained
from mailbot.errors import ConflictError
from mailbot.models.times import iso
from mailbot.workflow import recipients, sweep_assigned, sweep_open, sweep_resolved

log = logging.getLogger(__name__)


RULES = (("open", lambda t, now, s: sweep_open(t, now, s.escalation_minutes)),
         ("assigned", lambda t, now, s: sweep_assigned(t, now, s.stale_hours)),
         ("resolved", lambda t, now, s: sweep_resolved(t, now, s.autoclose_days)))


def sweep(app, now=None) -> Counter:
    """Apply every due time rule once; a second sweep at the same time changes nothing."""
    now = now or app.clock()
    report = Counter()
    with contained(report, "sweep"):
        agents, admins = app.store.list_people("agent"), app.store.list_people("admin")
        names = {a["email"]: a["name"] for a in agents}
        for status, rule in RULES:
            for ticket in app.store.list_tickets(status=status):
                decision = rule(ticket, now, app.settings)
                if decision is not None:
                    _apply(app, ticket, decision, agents, admins, names, now, report)
    return report


def _apply(app, ticket, decision, agents, admins, names, now, report) -> None:
    changed, last = decision.ticket, decision.ticket.history[-1]
    notes = [app.composer.note(kind, to, changed, iso(now), reason=last.get("reason", ""),
                               agent_name=names.get(changed.assignee or "", changed.assignee or ""),
                               previous=last.get("previous", ""))
             for kind, who in decision.notify for to in recipients(who, changed, agents, admins)]
    try:
        app.store.save(changed, notes)
    except ConflictError:
        log.info("%s changed during the sweep; it is looked at again next time", ticket.id)
        return
    log.info("%s: %s by the sweep (%d notifications)", ticket.id, last["action"], len(notes))
    report[last["action"]] += 1
