"""The escalation table, by level and by priority; stale assignments; routing by category."""

from datetime import datetime, timedelta, timezone

import pytest

from mailbot.constants import ESCALATION_MINUTES
from mailbot.models.ticket import Ticket
from mailbot.workflow import pool_agents, sweep_assigned, sweep_open

CREATED = datetime(2026, 12, 3, 9, 0, tzinfo=timezone.utc)


def ticket(priority="low", level="L1", status="open", assignee=None, history=None):
    return Ticket(title="t", description="d", category="IT", type="incident", priority=priority,
                  created_by="ann@example.org", created_at=CREATED.isoformat(), source_message_id="<s@x>",
                  status=status, assignee=assignee, level=level, number=1,
                  history=history or [{"at": CREATED.isoformat(), "actor": "ann@example.org", "action": "created",
                                       "message_id": "<s@x>"}])


@pytest.mark.parametrize("priority, minutes", sorted(ESCALATION_MINUTES.items()))
@pytest.mark.parametrize("level, after", [("L1", "L2"), ("L2", "L3")])
def test_unclaimed_ticket_escalates_exactly_at_its_threshold(priority, minutes, level, after):
    t = ticket(priority, level)
    assert sweep_open(t, CREATED + timedelta(minutes=minutes - 1), ESCALATION_MINUTES) is None
    decision = sweep_open(t, CREATED + timedelta(minutes=minutes), ESCALATION_MINUTES)
    assert decision.ticket.level == after and decision.notify == [("pool", "pool")]
    assert decision.ticket.history[-1]["action"] == "escalate"
    again = sweep_open(decision.ticket, CREATED + timedelta(minutes=minutes), ESCALATION_MINUTES)
    assert again is None, "the threshold restarts at the new level; a second sweep changes nothing"


def test_after_l3_the_admins_are_alerted_once():
    t = ticket("urgent", "L3")
    first = sweep_open(t, CREATED + timedelta(minutes=15), ESCALATION_MINUTES)
    assert first.notify == [("escalated_admin", "admins")] and first.ticket.level == "L3"
    assert sweep_open(first.ticket, CREATED + timedelta(hours=5), ESCALATION_MINUTES) is None


def test_claimed_tickets_do_not_escalate():
    assert sweep_open(ticket(status="assigned", assignee="bob@example.com"), CREATED + timedelta(days=9),
                      ESCALATION_MINUTES) is None


def test_stale_assignment_goes_back_to_the_pool_one_level_up():
    history = [{"at": CREATED.isoformat(), "actor": "ann@example.org", "action": "created", "message_id": "<s@x>"},
               {"at": CREATED.isoformat(), "actor": "bob@example.com", "action": "claim", "message_id": "<c@x>"}]
    t = ticket(status="assigned", assignee="bob@example.com", history=history)
    assert sweep_assigned(t, CREATED + timedelta(hours=47), 48) is None
    decision = sweep_assigned(t, CREATED + timedelta(hours=48), 48)
    assert (decision.ticket.status, decision.ticket.assignee, decision.ticket.level) == ("open", None, "L2")
    assert decision.notify == [("handback", "previous"), ("pool", "pool")]
    assert decision.ticket.history[-1]["previous"] == "bob@example.com"


def test_pool_goes_to_agents_serving_the_category_else_to_the_whole_level():
    agents = [{"email": "it@x.com", "level": "L1", "categories": ["IT"], "active": True},
              {"email": "hr@x.com", "level": "L1", "categories": ["HR"], "active": True},
              {"email": "any@x.com", "level": "L1", "categories": [], "active": True},
              {"email": "off@x.com", "level": "L1", "categories": ["IT"], "active": False},
              {"email": "l2@x.com", "level": "L2", "categories": ["IT"], "active": True}]
    assert [a["email"] for a in pool_agents(agents, ticket())] == ["it@x.com"]
    finance = ticket()
    finance.category = "Finance"
    assert [a["email"] for a in pool_agents(agents, finance)] == ["it@x.com", "hr@x.com", "any@x.com"]
