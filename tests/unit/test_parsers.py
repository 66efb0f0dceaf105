"""parse_message over our own tests/data mails, and HTML to text."""

import pytest

from mailbot.parsers import parse_message
from mailbot.parsers.html import html_to_text
from mailbot.parsers.refs import synthesize_id
from tests.conftest import DATA

CASES = [
    # file, from, subject, text fragment, attachment names
    ("plain.eml", "ann@example.org", "VPN keeps disconnecting", "VPN drops every few minutes", []),
    ("html-only.eml", "bob@example.org", "[HR] Payslip for November missing", "- Department: Logistics", []),
    ("cp1252-attachment.eml", "juergen@example.de", "Drucker Störung – floor 3", "€ 30 toner", ["Fehlerbericht März.pdf"]),
    ("no-message-id.eml", "carol@example.net", "Please create an account for our new hire", "Dave starts", []),
]


@pytest.mark.parametrize("name, sender, subject, fragment, files", CASES)
def test_own_mails(name, sender, subject, fragment, files):
    msg = parse_message((DATA / name).read_bytes())
    assert (msg.sender.email, msg.subject) == (sender, subject)
    assert fragment in msg.text
    assert [a.filename for a in msg.attachments] == files


def test_missing_message_id_is_synthesised_stably_across_line_endings():
    raw = (DATA / "no-message-id.eml").read_bytes()
    crlf = raw.replace(b"\n", b"\r\n")
    assert parse_message(raw).message_id == parse_message(crlf).message_id == synthesize_id(raw)
    assert parse_message(raw).synthesized_id


def test_attachment_digest_and_size():
    att = parse_message((DATA / "cp1252-attachment.eml").read_bytes()).attachments[0]
    import hashlib
    assert att.size == len(att.data) == 1055 and att.sha256 == hashlib.sha256(att.data).hexdigest()
    assert att.content_type == "application/pdf" and not att.inline


def test_inline_image_counts_as_attachment():
    raw = (b"From: a@example.org\nSubject: shot\nMIME-Version: 1.0\n"
           b"Content-Type: multipart/related; boundary=x\n\n--x\nContent-Type: text/html\n\n"
           b"<p>see <img src='cid:i1' alt='screenshot'></p>\n--x\nContent-Type: image/png\n"
           b"Content-ID: <i1>\nContent-Transfer-Encoding: base64\n\niVBORw0KGgo=\n--x--\n")
    msg = parse_message(raw)
    assert [(a.content_type, a.inline, a.size) for a in msg.attachments] == [("image/png", True, 8)]
    assert msg.text == "see [screenshot]"


@pytest.mark.parametrize("charset", ["x-unknown-charset", "utf-8", "us-ascii", "iso-8859-1", ""])
def test_wrong_or_unknown_charsets_decode_without_crash(charset):
    raw = (f"From: a@example.org\nSubject: =?{charset or 'bogus'}?q?caf=E9?=\n"
           f"Content-Type: text/plain; charset=\"{charset}\"\nContent-Transfer-Encoding: 8bit\n\n").encode() \
        + "café crème".encode("latin-1")
    msg = parse_message(raw)
    assert msg.text == "café crème"
    assert msg.subject.startswith("caf")


def test_encoded_reply_headers():
    raw = (b"From: a@example.org\nMessage-ID: <m2@x>\nIn-Reply-To: <m1@x>\n"
           b"References: <m0@x>\n <m1@x>\nSubject: Re: hi\n\nok\n")
    msg = parse_message(raw)
    assert (msg.in_reply_to, msg.references) == ("<m1@x>", ("<m0@x>", "<m1@x>"))


def test_html_to_text_keeps_structure_and_drops_code():
    html = """<html><head><title>t</title><style>.x{}</style></head><body>
      <h1>Outage</h1><p>First&nbsp;para with <a href="https://status.example.com">status page</a>.</p>
      <ol><li>one</li><li>two</li></ol><script>evil()</script>
      <table><tr><td>Host</td><td>State</td></tr><tr><td>db1</td><td>down</td></tr></table>
      <p>Line<br>break</p><!-- hidden --></body></html>"""
    assert html_to_text(html) == ("Outage\n\nFirst para with status page (https://status.example.com).\n\n"
                                  "1. one\n2. two\n\nHost | State\ndb1 | down\n\nLine\nbreak")


def test_html_to_text_survives_broken_markup():
    assert html_to_text("<p>unclosed <b>bold <i>and <table><tr><td>cell") == "unclosed bold and\n\ncell"
