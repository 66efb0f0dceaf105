"""The reply workflow end to end through the mailbot command, Dovecot and aiosmtpd."""

import json
import os
import subprocess

from tests.integration.helpers import MAILBOT, deliver, eml, mailbot, reply, sent, show, tickets

REQUESTER, BOB, CARL = "ann@example.org", "bob@example.com", "carl@example.com"


def test_claim_resolve_confirm_story(env, dovecot, smtp):
    mailbot(env, "agents", "add", BOB, "--level", "L1", "--name", "Bob")
    deliver(env, dovecot, eml("plain.eml"))
    assert len(sent(smtp, REQUESTER, "ack")) == 1 and len(sent(smtp, BOB, "pool")) == 1

    deliver(env, dovecot, reply(sent(smtp, BOB, "pool")[0], BOB, "claim"))
    assert show(env)["status"] == "assigned" and show(env)["assignee"] == BOB
    assert len(sent(smtp, REQUESTER, "assigned_requester")) == 1 and len(sent(smtp, BOB, "assigned_agent")) == 1

    deliver(env, dovecot, reply(sent(smtp, BOB, "assigned_agent")[0], BOB, "resolved: reset the VPN profile"))
    confirm_request = sent(smtp, REQUESTER, "resolved")
    assert show(env)["status"] == "resolved" and len(confirm_request) == 1
    assert "reset the VPN profile" in confirm_request[0].get_body(("plain",)).get_content()

    deliver(env, dovecot, reply(confirm_request[0], REQUESTER, "Yes!"))
    final = show(env)
    assert final["status"] == "closed"
    assert [h["action"] for h in final["history"]] == ["created", "claim", "resolve", "confirm"]
    assert all(h["message_id"] for h in final["history"])
    assert len(sent(smtp, REQUESTER, "closed_requester")) == 1 and len(sent(smtp, BOB, "closed_agent")) == 1
    assert json.loads(mailbot(env, "tickets", "list", "--status", "assigned", "--json").stdout) == []


def test_quoted_reopen_in_a_thank_you_does_not_reopen(env, dovecot, smtp):
    mailbot(env, "agents", "add", BOB, "--level", "L1")
    deliver(env, dovecot, eml("plain.eml"))
    deliver(env, dovecot, reply(sent(smtp, BOB, "pool")[0], BOB, "claim"))
    deliver(env, dovecot, reply(sent(smtp, BOB, "assigned_agent")[0], BOB, "resolved"))
    before = len(smtp.received)
    deliver(env, dovecot, reply(sent(smtp, REQUESTER, "resolved")[0], REQUESTER, "No problem, thanks a lot!"))
    ticket = show(env)
    assert ticket["status"] == "resolved" and ticket["history"][-1]["action"] == "comment"
    relayed = smtp.messages()[before:]
    assert [(m["To"], m["X-Mailbot-Kind"]) for m in relayed] == [(BOB, "comment")], "relayed to the agent only"
    assert "No problem, thanks a lot!" in relayed[0].get_body(("plain",)).get_content()
    deliver(env, dovecot, reply(relayed[0], BOB, "Glad it works. Say 'confirm' when you are sure."))
    back = sent(smtp, REQUESTER, "comment")
    assert len(back) == 1 and "Glad it works" in back[0].get_body(("plain",)).get_content()
    assert back[0]["From"] == "Helpdesk <helpdesk@example.com>", "both sides talk through the helpdesk"


def test_claim_from_a_non_agent_or_a_forged_sender_changes_nothing(env, dovecot, smtp):
    mailbot(env, "agents", "add", BOB, "--level", "L1")
    deliver(env, dovecot, eml("plain.eml"))
    ack = sent(smtp, REQUESTER, "ack")[0]
    deliver(env, dovecot, reply(ack, REQUESTER, "claim"))  # the requester is no agent
    deliver(env, dovecot, reply(ack, BOB, "claim"))  # Bob's address, but the requester's reference
    ticket = show(env)
    assert (ticket["status"], ticket["assignee"]) == ("open", None)
    assert [h["action"] for h in ticket["history"]] == ["created", "refused", "refused"]
    polite = sent(smtp, REQUESTER, "refused") + sent(smtp, BOB, "refused")
    assert len(polite) == 2 and "was not applied" in polite[0]["Subject"]
    deliver(env, dovecot, reply(ack, REQUESTER, "claim please"))
    assert len(sent(smtp, REQUESTER, "refused")) == 1, "at most one polite reply an hour"


def test_subject_tag_from_a_stranger_opens_a_new_ticket(env, dovecot, smtp):
    deliver(env, dovecot, eml("plain.eml"))
    stranger = (b"From: eve@example.net\nTo: helpdesk@example.com\nSubject: Re: [#T-1] VPN keeps disconnecting\n"
                b"Message-ID: <eve-1@example.net>\n\nreopen\n")
    deliver(env, dovecot, stranger)
    found = {t["id"]: t for t in tickets(env)}
    assert sorted(found) == ["T-1", "T-2"] and found["T-2"]["created_by"] == "eve@example.net"
    assert [h["action"] for h in show(env)["history"]] == ["created"]


def test_two_concurrent_claims_have_exactly_one_winner(env, dovecot, smtp):
    for agent in (BOB, CARL):
        mailbot(env, "agents", "add", agent, "--level", "L1")
    deliver(env, dovecot, eml("plain.eml"))
    dovecot.append(reply(sent(smtp, BOB, "pool")[0], BOB, "claim"), reply(sent(smtp, CARL, "pool")[0], CARL, "claim"))
    full = {**{k: v for k, v in os.environ.items() if not k.startswith("MAILBOT_")}, **env,
            "MAILBOT_IMAP_BATCH_SIZE": "1"}
    workers = [subprocess.Popen([MAILBOT, "poll", "--once"], env=full, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True) for _ in range(2)]
    outputs = [w.communicate(timeout=120) for w in workers]
    assert [w.returncode for w in workers] == [0, 0], outputs
    ticket = show(env)
    assert ticket["assignee"] in (BOB, CARL)
    assert [h["action"] for h in ticket["history"]].count("claim") == 1
    loser = CARL if ticket["assignee"] == BOB else BOB
    refusal = sent(smtp, loser, "refused")
    assert len(refusal) == 1 and "already claimed by" in refusal[0].get_body(("plain",)).get_content()


def test_out_of_office_reply_to_the_acknowledgement_creates_and_sends_nothing(env, dovecot, smtp):
    deliver(env, dovecot, eml("plain.eml"))
    before = len(smtp.received)
    ooo = reply(sent(smtp, REQUESTER, "ack")[0], REQUESTER, "I am out of the office until Monday. reopen",
                quote=False, extra="Auto-Submitted: auto-replied\n")
    deliver(env, dovecot, ooo)
    assert len(tickets(env)) == 1 and len(smtp.received) == before
    assert [h["action"] for h in show(env)["history"]] == ["created"]


def test_sweep_reminds_then_closes_an_unanswered_resolved_ticket(env, dovecot, smtp):
    from datetime import timedelta

    from mailbot.models.times import parse_iso
    mailbot(env, "agents", "add", BOB, "--level", "L1")
    deliver(env, dovecot, eml("plain.eml"))
    deliver(env, dovecot, reply(sent(smtp, BOB, "pool")[0], BOB, "claim"))
    deliver(env, dovecot, reply(sent(smtp, BOB, "assigned_agent")[0], BOB, "resolved"))
    resolved_at = parse_iso(show(env)["history"][-1]["at"])
    early = (resolved_at + timedelta(days=3)).isoformat()
    assert "nothing to do" in mailbot(env, "sweep", "--now", early).stdout
    remind_at = (resolved_at + timedelta(days=4, hours=1)).isoformat()
    assert "remind 1" in mailbot(env, "sweep", "--now", remind_at).stdout
    assert len(sent(smtp, REQUESTER, "reminder")) == 1
    close_at = (resolved_at + timedelta(days=5, hours=1)).isoformat()
    assert "autoclose 1" in mailbot(env, "sweep", "--now", close_at).stdout
    assert show(env)["status"] == "closed"
    assert len(sent(smtp, REQUESTER, "closed_requester")) == 1 and len(sent(smtp, BOB, "closed_agent")) == 1
    assert "nothing to do" in mailbot(env, "sweep", "--now", close_at).stdout, "a second sweep changes nothing"
