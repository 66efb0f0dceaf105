"""Render a notification into a complete MIME message with Jinja2 (text and HTML)."""

from __future__ import annotations

from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime, formataddr
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from mailbot.models.notification import Notification
from mailbot.models.ticket import Ticket


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
        self.env = Environment(loader=FileSystemLoader(directory or template_dir()),
                               undefined=StrictUndefined, autoescape=select_autoescape(["html.j2"]),
                               keep_trailing_newline=True)
        self.env.filters["filesize"] = filesize

    def render(self, note: Notification, ticket: Ticket, now: datetime) -> EmailMessage:
        """The complete mail for one notification, ready for SMTP."""
        view = {**ticket.public(), "tag": ticket.tag}
        values = {"ticket": view, "context": note.context, "helpdesk": self.helpdesk}
        text = self.env.get_template(f"{note.kind}.txt.j2").render(values)
        html = self.env.get_template(f"{note.kind}.html.j2").render(values)
        first, _, body = text.partition("\n\n")
        if not first.startswith("Subject: "):
            raise ValueError(f"template {note.kind}.txt.j2 must start with a 'Subject: ' line")
        msg = EmailMessage()
        msg["From"] = formataddr((self.helpdesk["name"], self.helpdesk["address"]))
        msg["To"] = note.to
        msg["Subject"] = first.removeprefix("Subject: ").strip()
        msg["Date"] = format_datetime(now)
        msg["Message-ID"] = note.message_id
        if note.in_reply_to:
            msg["In-Reply-To"] = note.in_reply_to
        if note.references:
            msg["References"] = " ".join(note.references)
        msg["Reply-To"] = self.helpdesk["address"]
        msg["Auto-Submitted"] = "auto-replied"
        msg["X-Auto-Response-Suppress"] = "All"
        msg["X-Mailbot-Ticket"] = ticket.id
        msg["X-Mailbot-Kind"] = note.kind
        msg.set_content(body)
        msg.add_alternative(html, subtype="html")
        return msg
