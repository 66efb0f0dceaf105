"""parse_message: raw bytes in, one typed InboundMessage out."""

from __future__ import annotations

import email

from mailbot.errors import RejectedMail
from mailbot.models.message import InboundMessage
from mailbot.parsers.auto import auto_kind
from mailbot.parsers.mime import RawHeaderPolicy, Walker, addresses, header_text
from mailbot.parsers.refs import id_list, normalize_id, synthesize_id

POLICY = RawHeaderPolicy()


def parse_message(raw: bytes) -> InboundMessage:
    """Read a mail once, whatever its state; raise RejectedMail only for an empty one."""
    if not raw or not raw.strip():
        raise RejectedMail("empty message")
    msg = email.message_from_bytes(raw, policy=POLICY)
    walker = Walker()
    walker.walk(msg)
    plain = "\n".join(t.strip("\n") for t in walker.plain if t.strip())
    html = "\n".join(walker.html) or None
    text = plain if plain.strip() else (_html_text(html) if html else "")
    senders = addresses(msg, "from") or addresses(msg, "sender") or addresses(msg, "reply-to")
    sender = senders[0] if senders else None
    message_id = normalize_id(header_text(msg, "message-id"))
    return InboundMessage(
        message_id=message_id or synthesize_id(raw),
        synthesized_id=message_id is None,
        subject=" ".join(header_text(msg, "subject").split()),
        sender=sender,
        to=addresses(msg, "to"),
        cc=addresses(msg, "cc"),
        in_reply_to=normalize_id(header_text(msg, "in-reply-to")),
        references=id_list(header_text(msg, "references")),
        text=text.replace("\r\n", "\n").strip(),
        html=html,
        attachments=tuple(walker.attachments),
        date=header_text(msg, "date") or None,
        auto=auto_kind(msg, sender.email if sender else ""),
        defects=tuple(type(d).__name__ for d in msg.defects),
    )


def _html_text(html: str) -> str:
    """BeautifulSoup (~0.1 s to import) loads on the first HTML-only mail, not at every start."""
    from mailbot.parsers.html import html_to_text
    return html_to_text(html)
