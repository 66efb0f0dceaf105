"""``mailbot demo``: the whole pipeline on 127.0.0.1 with nothing configured."""

from __future__ import annotations

import logging
import os
import secrets
import smtplib
import threading
from email import message_from_bytes, policy
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path

from mailbot.app import build_app
from mailbot.config import Endpoint, Settings
from mailbot.mailbox.maildir import ensure_maildir
from mailbot.worker import run_worker

log = logging.getLogger(__name__)
ADDRESS = "helpdesk@localhost"


class DemoSmtpHandler:
    """Mail for the helpdesk goes to its Maildir; everything else is caught and shown."""

    def __init__(self, maildir: Path, caught: Path, on_caught):
        self.maildir, self.caught, self.on_caught = maildir, caught, on_caught
        self.count = 0

    async def handle_DATA(self, server, session, envelope):
        raw = envelope.original_content
        self.count += 1
        name = f"{os.getpid()}.{self.count}.{secrets.token_hex(4)}.eml"
        if any(r.lower() == ADDRESS for r in envelope.rcpt_tos):
            tmp = self.maildir / "tmp" / name
            tmp.write_bytes(raw)
            os.replace(tmp, self.maildir / "new" / name)
        others = [r for r in envelope.rcpt_tos if r.lower() != ADDRESS]
        if others:
            (self.caught / name).write_bytes(raw)
            headers = message_from_bytes(raw, policy=policy.default)
            print(f"\n>>> mailbot sent to {', '.join(others)}: {' '.join(str(headers['Subject']).split())}\n"
                  f"    (saved as {self.caught / name})", flush=True)
            self.on_caught(headers)
        return "250 OK"


def demo_settings(data_dir: Path, port: int) -> Settings:
    secret_file = data_dir / "demo-secret"
    if not secret_file.exists():
        secret_file.write_text(secrets.token_urlsafe(32))
    return Settings(address=ADDRESS, name="Demo Helpdesk", maildir=str(data_dir / "Maildir"),
                    smtp=Endpoint("127.0.0.1", port, security="none"), data_dir=data_dir,
                    secret=secret_file.read_text().strip(), poll_seconds=2)


def send_sample(port: int) -> None:
    msg = EmailMessage()
    msg["From"] = "Alice Example <alice@example.org>"
    msg["To"] = ADDRESS
    msg["Subject"] = "My laptop will not connect to the VPN"
    msg["Message-ID"] = make_msgid(domain="example.org")
    from mailbot.models.times import utcnow
    msg["Date"] = format_datetime(utcnow())
    msg.set_content("Hello,\n\nsince this morning my laptop cannot connect to the VPN.\n"
                    "The error says 'authentication failed'.\n\nThanks,\nAlice\n")
    with smtplib.SMTP("127.0.0.1", port) as smtp:
        smtp.send_message(msg)


def _free_port() -> int:
    import socket
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def run_demo(args, redactor) -> int:
    from aiosmtpd.controller import Controller
    data_dir = Path(os.environ.get("MAILBOT_DATA_DIR") or "mailbot-demo").resolve()
    maildir = ensure_maildir(data_dir / "Maildir")
    caught = data_dir / "sent"
    caught.mkdir(parents=True, exist_ok=True)
    stop = threading.Event()

    def on_caught(headers):
        if args.exit_after_sample and headers["X-Mailbot-Kind"] == "ack":
            stop.set()

    port = args.port or _free_port()
    controller = Controller(DemoSmtpHandler(maildir, caught, on_caught), hostname="127.0.0.1", port=port)
    try:
        controller.start()
    except (OSError, RuntimeError) as exc:
        print(f"mailbot demo: cannot listen on 127.0.0.1:{args.port} ({exc}); try --port 0 or another port")
        return 1
    settings = demo_settings(data_dir, port)
    redactor.secrets.append(settings.secret)
    _print_banner(data_dir, port)
    send_sample(port)
    try:
        return run_worker(build_app(settings), stop=stop)
    finally:
        controller.stop()


def _print_banner(data_dir: Path, port: int) -> None:
    print(f"""
mailbot demo
  helpdesk address : {ADDRESS}
  SMTP server      : 127.0.0.1:{port} (mail to {ADDRESS} is delivered to {data_dir}/Maildir,
                     mail mailbot sends is caught in {data_dir}/sent)
  store            : {data_dir}/mailbot.sqlite3

A sample mail from alice@example.org is on its way: watch it become a ticket and get acknowledged.

Send your own, from another terminal:
  swaks --server 127.0.0.1:{port} --from you@example.org --to {ADDRESS} \\
        --header "Subject: The printer on floor 2 is jammed" --body "Paper jam, tray 2."
or with any mail client set to SMTP server 127.0.0.1, port {port}, no encryption, no login.

See the tickets:
  MAILBOT_DATA_DIR={data_dir} mailbot tickets list
Press Ctrl-C to stop.
""", flush=True)
