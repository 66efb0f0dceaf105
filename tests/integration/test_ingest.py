"""Raise tickets by email, end to end: Dovecot in, the mailbot command, aiosmtpd out."""

import json

from tests.integration.helpers import eml, mailbot, tickets

FOUR = ["plain.eml", "html-only.eml", "cp1252-attachment.eml", "no-message-id.eml"]


def test_four_mails_and_a_repeat_make_four_tickets_and_four_acks(env, dovecot, smtp):
    dovecot.append(*(eml(n) for n in FOUR), eml("plain.eml"))
    mailbot(env, "poll", "--once")

    found = {t["created_by"]: t for t in tickets(env)}
    assert sorted(found) == ["ann@example.org", "bob@example.org", "carol@example.net", "juergen@example.de"]
    assert dovecot.count("INBOX") == 0 and dovecot.count("Processed") == 5

    html = found["bob@example.org"]
    assert (html["category"], html["title"]) == ("HR", "[HR] Payslip for November missing")
    assert "- Employee id: 4711" in html["description"] and "November | missing" in html["description"]
    assert "alert" not in html["description"] and "color" not in html["description"]
    cp = found["juergen@example.de"]
    assert cp["title"] == "Drucker Störung – floor 3" and "Grüße aus Köln" in cp["description"]
    assert cp["attachments"] == [{"filename": "Fehlerbericht März.pdf", "content_type": "application/pdf",
                                  "size": 1055}]
    for t in found.values():
        assert (t["status"], t["level"], t["assignee"], t["priority"]) == ("open", "L1", None, "low")
        assert t["created_at"].endswith("+00:00")

    acks = smtp.messages()
    assert sorted(m["To"] for m in acks) == sorted(found)
    for ack in acks:
        ticket = found[ack["To"]]
        assert f"[#{ticket['id']}]" in ack["Subject"]
        assert ack["In-Reply-To"] == ticket["source_message_id"]
        assert ticket["source_message_id"] in ack["References"]
        assert ack["Auto-Submitted"] == "auto-replied" and ack["Message-ID"]
        assert ack.get_body(("plain",)).get_content().count(ticket["id"]) >= 2
        assert ack.get_body(("html",)) is not None

    mailbot(env, "poll", "--once")
    assert len(tickets(env)) == 4 and len(smtp.received) == 4, "a second pass changes nothing"


def test_duplicate_in_the_inbox_after_a_crash_is_not_a_second_ticket(env, dovecot, smtp):
    dovecot.append(eml("plain.eml"))
    mailbot(env, "poll", "--once")
    dovecot.append(eml("plain.eml"))  # e.g. redelivered, or copied back by a user
    mailbot(env, "poll", "--once")
    assert len(tickets(env)) == 1 and len(smtp.received) == 1
    assert dovecot.count("Processed") == 2


def test_unprocessable_mail_is_quarantined_and_kept(env, dovecot, smtp):
    raw = eml("no-sender.eml")
    dovecot.append(raw, eml("plain.eml"))
    mailbot(env, "poll", "--once")
    assert dovecot.count("INBOX") == 0 and dovecot.count("Failed") == 1
    assert dovecot.messages("Failed")[0].replace(b"\r\n", b"\n") == raw.replace(b"\r\n", b"\n")
    parked = json.loads(mailbot(env, "quarantine", "list", "--json").stdout)
    assert len(parked) == 1 and "no sender" in parked[0]["reason"]
    assert parked[0]["message_id"] == "<nosender-1@example.org>"
    retry = mailbot(env, "quarantine", "retry", str(parked[0]["id"]), check=False)
    assert retry.returncode == 1 and "no sender" in retry.stderr
    assert len(tickets(env)) == 1, "the good mail beside it still became a ticket"


def test_quarantined_mail_can_be_retried_after_a_config_fix(env, dovecot, smtp):
    dovecot.append(eml("cp1252-attachment.eml"))
    mailbot({**env, "MAILBOT_MAX_MESSAGE_BYTES": "500"}, "poll", "--once")
    parked = json.loads(mailbot(env, "quarantine", "list", "--json").stdout)
    assert "exceeds the 500-byte limit" in parked[0]["reason"] and tickets(env) == []
    out = mailbot(env, "quarantine", "retry", str(parked[0]["id"])).stdout
    assert "created T-1" in out
    assert json.loads(mailbot(env, "quarantine", "list", "--json").stdout) == []
    assert [t["created_by"] for t in tickets(env)] == ["juergen@example.de"]


def test_oversized_attachment_is_dropped_and_said_so(env, dovecot, smtp):
    dovecot.append(eml("cp1252-attachment.eml"))
    mailbot({**env, "MAILBOT_MAX_ATTACHMENT_BYTES": "1000"}, "poll", "--once")
    ticket = tickets(env)[0]
    assert ticket["attachments"] == []
    assert ticket["dropped_attachments"][0]["filename"] == "Fehlerbericht März.pdf"
    ack = smtp.messages()[0].get_body(("plain",)).get_content()
    assert "NOT kept" in ack and "Fehlerbericht März.pdf" in ack


def test_automatic_mail_creates_nothing(env, dovecot, smtp):
    dovecot.append(eml("out-of-office.eml"))
    mailbot(env, "poll", "--once")
    assert tickets(env) == [] and smtp.received == []
    assert dovecot.count("Processed") == 1
