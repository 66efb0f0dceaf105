"""Run the real ``mailbot`` command against the test servers."""

import json
import os
import subprocess
import sys
from email.utils import make_msgid
from pathlib import Path

from tests.conftest import DATA

MAILBOT = str(Path(sys.executable).parent / "mailbot")


def mailbot(env: dict, *args: str, cwd: Path | None = None, check: bool = True) -> subprocess.CompletedProcess:
    """Run the installed console script with exactly this environment."""
    full = {k: v for k, v in os.environ.items() if not k.startswith("MAILBOT_")}
    full.update(env)
    proc = subprocess.run([MAILBOT, *args], env=full, cwd=cwd or env["MAILBOT_DATA_DIR"].rsplit("/", 1)[0],
                          capture_output=True, text=True, timeout=120)
    if check and proc.returncode != 0:
        raise AssertionError(f"mailbot {' '.join(args)} exited {proc.returncode}:\n{proc.stdout}\n{proc.stderr}")
    return proc


def tickets(env: dict) -> list[dict]:
    return json.loads(mailbot(env, "tickets", "list", "--json").stdout)


def eml(name: str) -> bytes:
    return (DATA / name).read_bytes()


def sent(smtp, to, kind):
    """The mails of one kind that mailbot sent to one address, oldest first."""
    return [m for m in smtp.messages() if m["To"] == to and m["X-Mailbot-Kind"] == kind]


def reply(to_mail, sender, body, quote=True, extra=""):
    """A reply as a mail client writes it: threaded under ``to_mail``, quoting it."""
    quoted = "\n".join("> " + line for line in to_mail.get_body(("plain",)).get_content().splitlines())
    text = body + (f"\n\nOn Thu, 3 Dec 2026 at 10:00, Helpdesk <helpdesk@example.com> wrote:\n{quoted}\n"
                   if quote else "\n")
    return (f"From: {sender}\nTo: helpdesk@example.com\nSubject: Re: {to_mail['Subject']}\n"
            f"Message-ID: {make_msgid(domain='example.org')}\nIn-Reply-To: {to_mail['Message-ID']}\n"
            f"References: {to_mail['References'] or ''} {to_mail['Message-ID']}\n{extra}"
            f"Content-Type: text/plain; charset=utf-8\n\n{text}").encode()


def show(env, ticket_id="T-1"):
    return json.loads(mailbot(env, "tickets", "show", ticket_id, "--json").stdout)


def deliver(env, dovecot, *raws):
    dovecot.append(*raws)
    mailbot(env, "poll", "--once")
