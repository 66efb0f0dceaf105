"""The transition table, row by row: allowed rows and forbidden ones."""

from datetime import datetime, timedelta, timezone

import pytest

from mailbot.models.ticket import Ticket
from mailbot.workflow import TRANSITIONS, Actor, decide, sweep_resolved

NOW = datetime(2026, 12, 3, 9, 0, tzinfo=timezone.utc)
REQUESTER, L1, L2, L3 = "ann@example.org", "bob@example.com", "carl@example.com", "dora@example.com"
AGENTS = {L1: {"email": L1, "name": "Bob", "level": "L1", "active": True},
          L2: {"email": L2, "name": "Carl", "level": "L2", "active": True},
          L3: {"email": L3, "name": "Dora", "level": "L3", "active": True}}


def ticket(status="open", assignee=None, level="L1"):
    return Ticket(title="printer", description="jammed", category="IT", type="incident", priority="low",
                  created_by=REQUESTER, created_at="2026-12-01T09:00:00.000000+00:00", source_message_id="<s@x>",
                  status=status, assignee=assignee, level=level, number=1, participants=[REQUESTER])


def actor(email, authenticated=True):
    return Actor(email, "", authenticated, AGENTS.get(email))


ROWS = [
    # status, assignee, level, action, who, -> new status or refusal fragment
    ("open", None, "L1", "claim", L1, "assigned"),
    ("open", None, "L2", "claim", L3, "assigned"),
    ("open", None, "L2", "claim", L1, "needs an L2 agent"),
    ("open", None, "L1", "claim", REQUESTER, "only helpdesk agents"),
    ("assigned", L1, "L1", "claim", L2, "already claimed by Bob"),
    ("assigned", L1, "L1", "resolve", L1, "resolved"),
    ("assigned", L1, "L1", "resolve", L2, "only the agent who claimed"),
    ("assigned", L1, "L1", "resolve", REQUESTER, "only the agent who claimed"),
    ("assigned", L1, "L1", "release", L1, "open"),
    ("assigned", L1, "L1", "release", L2, "only the agent who claimed"),
    ("resolved", L1, "L1", "confirm", REQUESTER, "closed"),
    ("resolved", L1, "L1", "confirm", L1, "only the person who raised"),
    ("resolved", L1, "L1", "reopen", REQUESTER, "assigned"),
    ("resolved", L1, "L1", "reopen", L2, "only the person who raised"),
    ("closed", L1, "L1", "reopen", REQUESTER, "assigned"),
    ("closed", L1, "L1", "confirm", REQUESTER, "cannot be given 'confirm'"),
    ("open", None, "L1", "resolve", L1, "cannot be given 'resolve'"),
    ("open", None, "L1", "confirm", REQUESTER, "cannot be given 'confirm'"),
]


@pytest.mark.parametrize("status, assignee, level, action, who, expected", ROWS)
def test_table_row(status, assignee, level, action, who, expected):
    names = {e: a["name"] for e, a in AGENTS.items()}
    decision = decide(ticket(status, assignee, level), action, actor(who), "<m@x>", NOW, "", names)
    if expected in ("open", "assigned", "resolved", "closed"):
        assert decision.refusal is None and decision.ticket.status == expected
        assert decision.ticket.history[-1] == {"at": "2026-12-03T09:00:00.000000+00:00", "actor": who,
                                               "action": action, "message_id": "<m@x>"}
    else:
        assert decision.ticket is None and expected in decision.refusal


def test_every_table_row_is_tested():
    assert {(r[0], r[3]) for r in ROWS if r[5] in ("open", "assigned", "resolved", "closed")} == set(TRANSITIONS)


def test_claim_sets_the_assignee_and_release_clears_it():
    claimed = decide(ticket(), "claim", actor(L1), "<m@x>", NOW).ticket
    assert claimed.assignee == L1 and L1 in claimed.participants
    assert decide(claimed, "release", actor(L1), "<m2@x>", NOW).ticket.assignee is None


def test_a_forged_sender_cannot_command():
    decision = decide(ticket(), "claim", actor(L1, authenticated=False), "<m@x>", NOW)
    assert decision.ticket is None and "reference" in decision.refusal


def test_notifications_of_each_transition():
    claimed = decide(ticket(), "claim", actor(L1), "<m@x>", NOW)
    assert claimed.notify == [("assigned_requester", "requester"), ("assigned_agent", "assignee")]
    resolved = decide(claimed.ticket, "resolve", actor(L1), "<m2@x>", NOW, "new toner")
    assert resolved.notify == [("resolved", "requester")] and resolved.ticket.history[-1]["note"] == "new toner"


def test_sweep_reminds_a_day_before_then_closes_once():
    resolved = ticket("resolved", L1)
    resolved.history = [{"at": "2026-12-01T09:00:00.000000+00:00", "actor": L1, "action": "resolve",
                         "message_id": "<r@x>"}]
    assert sweep_resolved(resolved, NOW, 5) is None
    reminder = sweep_resolved(resolved, NOW + timedelta(days=2, hours=1), 5)
    assert reminder.notify == [("reminder", "requester")]
    assert sweep_resolved(reminder.ticket, NOW + timedelta(days=2, hours=2), 5) is None, "remind once"
    closed = sweep_resolved(reminder.ticket, NOW + timedelta(days=3), 5)
    assert closed.ticket.status == "closed" and closed.ticket.history[-1]["action"] == "autoclose"
    assert sweep_resolved(closed.ticket, NOW + timedelta(days=3), 5) is None, "a second sweep changes nothing"
