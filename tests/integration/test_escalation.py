"""Escalation, level checks and stale assignments end to end through ``mailbot sweep --now``."""

import json
from datetime import timedelta

from mailbot.models.times import parse_iso
from tests.integration.helpers import deliver, eml, mailbot, reply, sent, show

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


def test_status_reply_lists_only_the_senders_tickets(env, dovecot, smtp):
    other = eml("html-only.eml")  # bob@example.org's ticket
    deliver(env, dovecot, eml("plain.eml"), eml("no-message-id.eml"), other)
    ask = (b"From: Ann <ann@example.org>\nTo: helpdesk@example.com\nSubject: status\n"
           b"Message-ID: <status-ask@example.org>\n\nstatus\n")
    deliver(env, dovecot, ask)
    report = sent(smtp, REQUESTER, "status_report")
    assert len(report) == 1
    text = report[0].get_body(("plain",)).get_content()
    assert "VPN keeps disconnecting" in text and "Payslip" not in text and "new hire" not in text
    deliver(env, dovecot, ask)
    assert len(sent(smtp, REQUESTER, "status_report")) == 1, "the same request is answered once"
    assert len(json.loads(mailbot(env, "tickets", "list", "--json").stdout)) == 3, "no ticket was made"


def test_agents_set_priority_by_reply_and_requesters_cannot(env, dovecot, smtp):
    team(env)
    deliver(env, dovecot, eml("plain.eml"))
    deliver(env, dovecot, reply(sent(smtp, REQUESTER, "ack")[0], REQUESTER, "priority urgent"))
    assert show(env)["priority"] == "low" and len(sent(smtp, REQUESTER, "refused")) == 1
    deliver(env, dovecot, reply(sent(smtp, L1, "pool")[0], L1, "priority high"))
    deliver(env, dovecot, reply(sent(smtp, L1, "pool")[0], L1, "category HR"))
    ticket = show(env)
    assert (ticket["priority"], ticket["category"], ticket["status"]) == ("high", "HR", "open")
    assert ticket["history"][-2]["action"] == "set_priority" and ticket["history"][-2]["from"] == "low"


def test_agent_admin_commands_validate_and_update(env, tmp_path):
    bad = mailbot(env, "agents", "add", "not-an-address", "--level", "L7", check=False)
    assert bad.returncode == 1 and "not an email address" in bad.stderr and "unknown level 'L7'" in bad.stderr
    mailbot(env, "agents", "add", L1, "--level", "L1", "--name", "Bob", "--categories", "IT,HR")
    mailbot(env, "agents", "update", L1, "--level", "L2", "--categories", "IT")
    mailbot(env, "agents", "deactivate", L1)
    [agent] = json.loads(mailbot(env, "agents", "list", "--json").stdout)
    assert (agent["level"], agent["categories"], agent["active"], agent["name"]) == ("L2", ["IT"], False, "Bob")
    missing = mailbot(env, "agents", "update", "nobody@example.com", "--level", "L1", check=False)
    assert missing.returncode == 1 and "no agent nobody@example.com" in missing.stderr
    seeded = {**env, "MAILBOT_AGENTS": f"{L3}:L3:Dora:IT", "MAILBOT_ADMINS": ADMIN}
    mailbot(seeded, "poll", "--once")
    emails = [a["email"] for a in json.loads(mailbot(env, "agents", "list", "--json").stdout)]
    assert emails == [L1, L3]
    assert [a["email"] for a in json.loads(mailbot(env, "admins", "list", "--json").stdout)] == [ADMIN]
