"""Escalation, level checks and stale assignments end to end through ``mailbot sweep --now``."""

import json
from datetime import timedelta

from mailbot.models.times import parse_iso
from tests.integration.helpers import eml, mailbot
from tests.integration.test_reply_story import deliver, reply, sent, show

REQUESTER, L1, L2, L3, ADMIN = "ann@example.org", "bob@example.com", "carl@example.com", "dora@example.com", \
    "boss@example.com"


def team(env):
    for email, level in ((L1, "L1"), (L2, "L2"), (L3, "L3")):
        mailbot(env, "agents", "add", email, "--level", level)
    mailbot(env, "admins", "add", ADMIN)


def test_unclaimed_ticket_climbs_to_l2_then_l3_then_alerts_admins(env, dovecot, smtp):
    team(env)
    deliver(env, dovecot, eml("plain.eml"))  # priority low: 8 hours per level
    created = parse_iso(show(env)["created_at"])
    assert len(sent(smtp, L1, "pool")) == 1 and sent(smtp, L2, "pool") == []
    out = mailbot(env, "sweep", "--now", (created + timedelta(hours=7)).isoformat()).stdout
    assert "nothing to do" in out and show(env)["level"] == "L1"
    mailbot(env, "sweep", "--now", (created + timedelta(hours=8)).isoformat())
    assert show(env)["level"] == "L2" and len(sent(smtp, L2, "pool")) == 1 and sent(smtp, L3, "pool") == []
    again = mailbot(env, "sweep", "--now", (created + timedelta(hours=8)).isoformat()).stdout
    assert "nothing to do" in again, "a second sweep at the same time changes nothing"
    mailbot(env, "sweep", "--now", (created + timedelta(hours=16)).isoformat())
    assert show(env)["level"] == "L3" and len(sent(smtp, L3, "pool")) == 1
    mailbot(env, "sweep", "--now", (created + timedelta(hours=24)).isoformat())
    assert len(sent(smtp, ADMIN, "escalated_admin")) == 1
    actions = [h["action"] for h in show(env)["history"]]
    assert actions == ["created", "escalate", "escalate", "alert_admins"]
    assert len(sent(smtp, L1, "pool")) == 1, "L1 was told once, when the ticket arrived"


def test_l1_claim_on_an_l3_ticket_is_refused(env, dovecot, smtp):
    team(env)
    deliver(env, dovecot, eml("plain.eml"))
    created = parse_iso(show(env)["created_at"])
    for hours in (8, 16):
        mailbot(env, "sweep", "--now", (created + timedelta(hours=hours)).isoformat())
    assert show(env)["level"] == "L3"
    deliver(env, dovecot, reply(sent(smtp, L1, "pool")[0], L1, "claim"))
    ticket = show(env)
    assert (ticket["status"], ticket["assignee"]) == ("open", None)
    refusal = sent(smtp, L1, "refused")
    assert len(refusal) == 1 and "needs an L3 agent" in refusal[0].get_body(("plain",)).get_content()
    deliver(env, dovecot, reply(sent(smtp, L3, "pool")[0], L3, "claim"))
    assert show(env)["assignee"] == L3


def test_stale_assignment_is_handed_back(env, dovecot, smtp):
    team(env)
    deliver(env, dovecot, eml("plain.eml"))
    deliver(env, dovecot, reply(sent(smtp, L1, "pool")[0], L1, "claim"))
    claimed = parse_iso(show(env)["history"][-1]["at"])
    mailbot(env, "sweep", "--now", (claimed + timedelta(hours=48)).isoformat())
    ticket = show(env)
    assert (ticket["status"], ticket["assignee"], ticket["level"]) == ("open", None, "L2")
    assert len(sent(smtp, L1, "handback")) == 1 and len(sent(smtp, L2, "pool")) == 1
    listed = json.loads(mailbot(env, "tickets", "list", "--level", "L2", "--status", "open", "--json").stdout)
    assert [t["id"] for t in listed] == ["T-1"]
    stats = json.loads(mailbot(env, "stats", "--json").stdout)
    assert stats["counts"]["open"] == 1 and stats["per_level"]["L2"]["open"] == 1
    assert stats["oldest_unclaimed"]["id"] == "T-1"
