"""open_ticket (pure) and rendering with StrictUndefined."""

import email
from datetime import datetime, timezone
from email import policy

import pytest
from jinja2 import UndefinedError

from mailbot.models.notification import after_failure
from mailbot.notifier.compose import Composer
from mailbot.notifier.render import Renderer
from mailbot.parsers import parse_message
from mailbot.workflow import open_ticket, split_attachments
from tests.conftest import DATA

NOW = datetime(2026, 12, 3, 9, 0, tzinfo=timezone.utc)
FIELDS = {"category": "IT", "type": "incident", "priority": "low"}


def _ticket(name="cp1252-attachment.eml", cap=10_000):
    msg = parse_message((DATA / name).read_bytes())
    kept, dropped = split_attachments(msg.attachments, cap)
    ticket = open_ticket(msg, FIELDS, kept, dropped, NOW)
    ticket.number = 7
    ack = Composer("unit-test-secret-0123456789", "helpdesk@example.com").note(
        "ack", ticket.created_by, ticket, ticket.created_at, msg.message_id, msg.references, requester_name="J")
    return msg, ticket, [ack]


def test_new_ticket_fields_and_acknowledgement():
    msg, ticket, [ack] = _ticket()
    assert (ticket.status, ticket.level, ticket.assignee, ticket.priority) == ("open", "L1", None, "low")
    assert ticket.created_by == "juergen@example.de" and ticket.created_at == "2026-12-03T09:00:00.000000+00:00"
    assert ticket.history[0]["action"] == "created" and ticket.history[0]["message_id"] == msg.message_id
    assert (ack.kind, ack.to, ack.in_reply_to) == ("ack", "juergen@example.de", msg.message_id)
    assert ack.references[-1] == msg.message_id and ack.message_id.endswith("@example.com>")


def test_attachment_over_the_cap_is_dropped_with_a_reason():
    _, ticket, _ = _ticket(cap=1000)
    assert ticket.attachments == []
    assert ticket.dropped_attachments == [{"filename": "Fehlerbericht März.pdf", "size": 1055,
                                           "reason": "larger than the 1,000-byte limit"}]


def test_render_ack_has_both_parts_and_threading_headers():
    msg, ticket, [ack] = _ticket()
    rendered = Renderer("IT Helpdesk", "helpdesk@example.com").render(ack, ticket, NOW)
    assert all(len(line) <= 78 for line in rendered.data.split(b"\r\n")), "lines stay short"
    out = email.message_from_bytes(rendered.data, policy=policy.default)
    assert out["Subject"] == "[#T-7] We received your request: Drucker Störung – floor 3"
    assert out["From"] == "IT Helpdesk <helpdesk@example.com>"
    assert (out["In-Reply-To"], out["Auto-Submitted"], out["Message-ID"]) == (
        msg.message_id, "auto-replied", ack.message_id)
    text = out.get_body(("plain",)).get_content()
    assert "T-7" in text and "Fehlerbericht März.pdf" in text and "reply to this mail" in text
    assert "<strong>T-7</strong>" in out.get_body(("html",)).get_content()


def test_render_fails_loudly_on_a_missing_variable(tmp_path):
    (tmp_path / "ack.txt.j2").write_text("Subject: x\n\n{{ ticket.no_such_field }}")
    (tmp_path / "ack.html.j2").write_text("<p>x</p>")
    _, ticket, [ack] = _ticket()
    with pytest.raises(UndefinedError):
        Renderer("H", "h@example.com", tmp_path).render(ack, ticket, NOW)


def test_backoff_doubles_then_gives_up():
    _, _, [ack] = _ticket()
    delays = []
    for attempt in range(4):
        fields = after_failure(ack, "451", False, NOW, max_attempts=4, base=60)
        if fields["status"] == "failed":
            break
        delays.append(fields["next_attempt_at"][11:19])
        ack.attempts = fields["attempts"]
    assert delays == ["09:01:00", "09:02:00", "09:04:00"] and fields["status"] == "failed"


KINDS = ["ack", "pool", "assigned_requester", "assigned_agent", "resolved", "closed_requester", "closed_agent",
         "handback", "escalated_admin",
         "reopened", "comment", "refused", "reminder"]


@pytest.mark.parametrize("kind", KINDS)
def test_every_kind_renders_and_its_subject_is_never_read_as_a_command(kind):
    from mailbot.parsers.keywords import find_command
    msg, ticket, _ = _ticket()
    note = Composer("unit-test-secret-0123456789", "helpdesk@example.com").note(
        kind, "ann@example.org", ticket, ticket.created_at, msg.message_id, requester_name="Ann", agent_name="Bob",
        note="new toner", autoclose_days=5, author="Ann", text="hello", command="claim", reason="no", )
    rendered = Renderer("Helpdesk", "helpdesk@example.com").render(note, ticket, NOW)
    out = email.message_from_bytes(rendered.data, policy=policy.default)
    assert out["Subject"].startswith("[#T-7] ") and out["X-Mailbot-Kind"] == kind
    assert f"[ref:{note.context['token']}]" in out.get_body(("plain",)).get_content()
    assert note.context["token"] in out["Message-ID"]
    assert find_command("", "Re: " + out["Subject"]) is None
