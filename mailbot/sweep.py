"""sweep: the time-based rules (auto-close of resolved tickets, with a reminder), as of ``now``."""

from __future__ import annotations

import logging
from collections import Counter

from mailbot.contain import contained
from mailbot.errors import ConflictError
from mailbot.models.times import iso
from mailbot.workflow import sweep_resolved

log = logging.getLogger(__name__)


def sweep(app, now=None) -> Counter:
    """Apply every due time rule once; a second sweep at the same time changes nothing."""
    now = now or app.clock()
    report = Counter()
    with contained(report, "sweep"):
        names = {a["email"]: a["name"] for a in app.store.list_agents()}
        for ticket in app.store.list_tickets(status="resolved"):
            decision = sweep_resolved(ticket, now, app.settings.autoclose_days)
            if decision is None:
                continue
            changed = decision.ticket
            notes = [app.composer.note(kind, changed.created_by if who == "requester" else changed.assignee,
                                       changed, iso(now), reason=changed.history[-1].get("reason", ""),
                                       agent_name=names.get(changed.assignee or "", changed.assignee or ""))
                     for kind, who in decision.notify if (changed.assignee or who == "requester")]
            try:
                app.store.save(changed, notes)
            except ConflictError:
                log.info("%s changed during the sweep; it is looked at again next time", ticket.id)
                continue
            action = changed.history[-1]["action"]
            log.info("%s %s by the sweep", ticket.id, "closed" if action == "autoclose" else "reminded")
            report[action] += 1
    return report
