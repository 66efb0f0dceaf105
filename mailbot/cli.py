"""The ``mailbot`` command: parse arguments, load .env, configure logging, dispatch."""

from __future__ import annotations

import argparse
import os
import sys

from mailbot import __version__
from mailbot.errors import ConfigError, MailbotError, NotFound

EXIT_OK, EXIT_FAIL, EXIT_CONFIG = 0, 1, 2


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="mailbot", description="A helpdesk that lives in a support mailbox.")
    parser.add_argument("--version", action="version", version=f"mailbot {__version__}")
    parser.add_argument("--log-format", choices=("text", "json"), default="text")
    parser.add_argument("--log-level", default=os.environ.get("MAILBOT_LOG_LEVEL", "INFO"))
    parser.add_argument("--env-file", default=".env", help="file of MAILBOT_* settings (default: .env)")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    sub.add_parser("run", help="run the scheduled worker until SIGTERM or SIGINT")
    poll = sub.add_parser("poll", help="poll the mailbox and send the outbox")
    poll.add_argument("--once", action="store_true", help="one pass, then exit")
    tickets = sub.add_parser("tickets", help="list or show tickets").add_subparsers(dest="action", required=True)
    listing = tickets.add_parser("list")
    for name in ("--status", "--level", "--assignee", "--category", "--requester"):
        listing.add_argument(name)
    listing.add_argument("--json", action="store_true")
    show = tickets.add_parser("show")
    show.add_argument("id")
    show.add_argument("--json", action="store_true")
    inspect = sub.add_parser("inspect", help="show how mailbot reads a mail, storing nothing")
    inspect.add_argument("file")
    inspect.add_argument("--json", action="store_true")
    sub.add_parser("check", help="validate the configuration and try IMAP, SMTP and the store")
    demo = sub.add_parser("demo", help="run a self-contained demo on 127.0.0.1")
    demo.add_argument("--port", type=int, default=8025, help="SMTP port of the demo server (default 8025)")
    demo.add_argument("--exit-after-sample", action="store_true", help="stop once the sample is acknowledged")
    sweep = sub.add_parser("sweep", help="run the time-based rules (auto-close) once")
    sweep.add_argument("--now", help="ISO 8601 time to run the rules as of (default: now)")
    agents = sub.add_parser("agents", help="manage helpdesk agents").add_subparsers(dest="action", required=True)
    add = agents.add_parser("add")
    add.add_argument("email")
    add.add_argument("--level", required=True, help="L1, L2 or L3")
    add.add_argument("--name", default="")
    add.add_argument("--categories", default="", help="comma-separated categories the agent serves")
    update = agents.add_parser("update")
    update.add_argument("email")
    update.add_argument("--level")
    update.add_argument("--name")
    update.add_argument("--categories", help="comma-separated; empty to serve all")
    update.add_argument("--active", choices=("yes", "no"))
    agents.add_parser("deactivate").add_argument("email")
    alist = agents.add_parser("list")
    alist.add_argument("--json", action="store_true")
    admins = sub.add_parser("admins", help="manage admins").add_subparsers(dest="action", required=True)
    admin_add = admins.add_parser("add")
    admin_add.add_argument("email")
    admin_add.add_argument("--name", default="")
    admins.add_parser("list").add_argument("--json", action="store_true")
    sub.add_parser("stats", help="counts and timings of the pool").add_argument("--json", action="store_true")
    quarantine = sub.add_parser("quarantine", help="mail that could not be processed")
    qsub = quarantine.add_subparsers(dest="action", required=True)
    qlist = qsub.add_parser("list")
    qlist.add_argument("--all", action="store_true", help="include records already dealt with")
    qlist.add_argument("--json", action="store_true")
    retry = qsub.add_parser("retry")
    retry.add_argument("id", type=int)
    return parser


NEEDS = {"run": ("mailbox", "smtp", "secret"), "poll": ("mailbox", "smtp", "secret"),
         "check": ("mailbox", "smtp", "secret"), "quarantine": ("secret",), "sweep": ("secret",)}



def main(argv=None) -> int:
    args = build_parser().parse_args(argv)
    from dotenv import load_dotenv

    from mailbot import commands, logging_setup
    if args.env_file and os.path.exists(args.env_file):
        load_dotenv(args.env_file, override=False)
    redactor = logging_setup.configure(args.log_format, args.log_level)
    if args.command == "inspect":
        return commands.inspect(args)
    if args.command == "demo":
        from mailbot.demo import run_demo
        return run_demo(args, redactor)
    from mailbot.config import SECRET_KEYS, Settings
    redactor.secrets += [os.environ[k] for k in SECRET_KEYS if len(os.environ.get(k, "")) >= 4]
    try:
        settings = Settings.from_env(need=NEEDS.get(args.command, ()))
        return getattr(commands, args.command)(args, settings)
    except ConfigError as exc:
        print(f"mailbot: {exc}", file=sys.stderr)
        return EXIT_CONFIG
    except NotFound as exc:
        print(f"mailbot: {exc}", file=sys.stderr)
        return EXIT_FAIL
    except MailbotError as exc:
        print(f"mailbot: {exc}", file=sys.stderr)
        return EXIT_FAIL
    except KeyboardInterrupt:
        return EXIT_FAIL
