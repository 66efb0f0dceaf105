"""Render a notification into a complete MIME message with Jinja2 (text and HTML)."""

from __future__ import annotations

import functools
from datetime import datetime
from dataclasses import dataclass, field
from email.utils import format_datetime, formataddr
from pathlib import Path

from mailbot.models.notification import Notification
from mailbot.models.ticket import Ticket
from mailbot.notifier.mime import build_alternative, encode_header


def template_dir() -> Path:
    """Where the templates are: shipped as ``mailbot.templates``, or ``templates/`` in a checkout."""
    package = Path(__file__).resolve().parents[1]
    shipped = package / "templates"
    return shipped if shipped.is_dir() else package.parent / "templates"


def filesize(size: int) -> str:
    for unit in ("bytes", "KB", "MB"):
        if size < 1024 or unit == "MB":
            return f"{size} {unit}" if unit == "bytes" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{size} GB"


class Renderer:
    """Builds outgoing messages; one instance compiles each template once."""

    def __init__(self, name: str, address: str, directory: Path | None = None):
        self.helpdesk = {"name": name, "address": address}
        self.directory = directory or template_dir()

    @functools.cached_property
    def env(self):
        """The Jinja2 environment, loaded on the first render: a process that only polls never pays for it."""
        from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
        env = Environment(loader=FileSystemLoader(self.directory), undefined=StrictUndefined,
                          autoescape=select_autoescape(["html.j2"]), keep_trailing_newline=True, auto_reload=False)
        env.filters["filesize"] = filesize
        return env

    def render(self, note: Notification, ticket: Ticket, now: datetime) -> "RenderedMail":
        """The complete mail for one notification, ready for SMTP."""
        view = {**ticket.public(), "tag": ticket.tag} if ticket else None
        values = {"ticket": view, "context": note.context, "helpdesk": self.helpdesk}
        text = self.env.get_template(f"{note.kind}.txt.j2").render(values)
        html = self.env.get_template(f"{note.kind}.html.j2").render(values)
        first, _, body = text.partition("\n\n")
        if not first.startswith("Subject: "):
            raise ValueError(f"template {note.kind}.txt.j2 must start with a 'Subject: ' line")
        subject = first.removeprefix("Subject: ").strip()
        headers = [
            ("From", formataddr((self.helpdesk["name"], self.helpdesk["address"]))),
            ("To", note.to),
            ("Subject", encode_header(subject)),
            ("Date", format_datetime(now)),
            ("Message-ID", note.message_id),
            ("In-Reply-To", note.in_reply_to),
            ("References", encode_header(" ".join(note.references))),
            ("Reply-To", note.context.get("reply_to") or self.helpdesk["address"]),
            ("Auto-Submitted", "auto-replied"),
            ("X-Auto-Response-Suppress", "All"),
            ("X-Mailbot-Ticket", ticket.id if ticket else None),
            ("X-Mailbot-Kind", note.kind),
        ]
        return RenderedMail(note.to, subject, build_alternative(headers, body, html))


@dataclass(frozen=True)
class RenderedMail:
    """A rendered notification: the recipient, the subject (for logs) and the bytes to send."""

    to: str
    subject: str
    data: bytes = field(repr=False)
