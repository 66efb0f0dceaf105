"""Settings read once from the environment, validated all at once."""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from mailbot import constants as C
from mailbot.errors import ConfigError

_ADDRESS = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$|^[^@\s]+@localhost$")
SECURITY = ("ssl", "starttls", "none")
SECRET_KEYS = ("MAILBOT_IMAP_PASSWORD", "MAILBOT_SMTP_PASSWORD", "MAILBOT_SECRET", "MAILBOT_MONGODB_URI")


@dataclass(frozen=True)
class Endpoint:
    """Where and how to reach one mail server."""

    host: str = ""
    port: int = 0
    user: str = ""
    password: str = field(default="", repr=False)
    security: str = "ssl"


@dataclass(frozen=True)
class Settings:
    """Every knob of mailbot, typed and validated."""

    address: str = "helpdesk@localhost"
    name: str = "Helpdesk"
    imap: Endpoint = Endpoint()
    imap_folder: str = "INBOX"
    processed_folder: str = "Processed"
    failed_folder: str = "Failed"
    delete_processed: bool = False
    maildir: str = ""
    smtp: Endpoint = Endpoint(security="starttls")
    mongodb_uri: str = field(default="", repr=False)
    mongodb_db: str = "mailbot"
    data_dir: Path = Path("mailbot-data")
    secret: str = field(default="", repr=False)
    poll_seconds: int = C.POLL_SECONDS
    batch_size: int = C.IMAP_BATCH_SIZE
    default_category: str = C.DEFAULT_CATEGORY
    default_type: str = C.DEFAULT_TYPE
    default_priority: str = C.DEFAULT_PRIORITY
    rules: tuple = C.DEFAULT_RULES
    max_attachment_bytes: int = C.MAX_ATTACHMENT_BYTES
    max_message_bytes: int = C.MAX_MESSAGE_BYTES
    send_max_attempts: int = C.SEND_MAX_ATTEMPTS
    send_retry_seconds: int = C.SEND_RETRY_SECONDS
    smtp_connections: int = C.SMTP_CONNECTIONS
    autoclose_days: int = C.AUTOCLOSE_DAYS
    plus_addressing: bool = False
    keywords: dict | None = None
    escalation_minutes: dict = field(default_factory=lambda: dict(C.ESCALATION_MINUTES))
    stale_hours: int = C.STALE_ASSIGNMENT_HOURS
    seed_agents: tuple = ()
    seed_admins: tuple = ()

    @property
    def domain(self) -> str:
        return self.address.rpartition("@")[2] or "localhost"

    @classmethod
    def from_env(cls, environ=None, *, need=("mailbox", "smtp", "secret")) -> "Settings":
        """Build settings from ``MAILBOT_*`` variables; raise ConfigError naming every problem."""
        return _Reader(os.environ if environ is None else environ).settings(set(need))


class _Reader:
    """Collects values and problems from one environment mapping."""

    def __init__(self, env):
        self.env, self.problems = env, []

    def get(self, key, default=""):
        return (self.env.get(key) or "").strip() or default

    def integer(self, key, default, low=0):
        raw = self.get(key)
        if not raw:
            return default
        if not raw.isdigit() or int(raw) < low:
            self.problems.append(f"{key} must be a whole number >= {low}, got {raw!r}")
            return default
        return int(raw)

    def choice(self, key, default, allowed):
        value = self.get(key, default).lower()
        if value not in allowed:
            self.problems.append(f"{key} must be one of {', '.join(allowed)}, got {value!r}")
        return value

    def required(self, key, needed):
        value = self.get(key)
        if needed and not value:
            self.problems.append(f"{key} is required but not set")
        return value

    def endpoint(self, prefix, needed, default_security, ports):
        security = self.choice(f"{prefix}_SECURITY", default_security, SECURITY)
        host = self.required(f"{prefix}_HOST", needed)
        port = self.integer(f"{prefix}_PORT", ports.get(security, 0), low=1)
        user = self.get(f"{prefix}_USER")
        password = self.get(f"{prefix}_PASSWORD")
        if needed and prefix.endswith("IMAP") and not (user and password):
            self.problems.append(f"{prefix}_USER and {prefix}_PASSWORD are required for IMAP")
        return Endpoint(host, port, user, password, security)

    def settings(self, need) -> Settings:
        maildir = self.get("MAILBOT_MAILDIR")
        imap_needed = "mailbox" in need and not maildir
        address = self.get("MAILBOT_ADDRESS", "helpdesk@localhost")
        if not _ADDRESS.match(address):
            self.problems.append(f"MAILBOT_ADDRESS is not an email address: {address!r}")
        secret = self.required("MAILBOT_SECRET", "secret" in need)
        if secret and len(secret) < 16:
            self.problems.append("MAILBOT_SECRET must be at least 16 characters long")
        values = dict(
            address=address,
            name=self.get("MAILBOT_NAME", "Helpdesk"),
            imap=self.endpoint("MAILBOT_IMAP", imap_needed, "ssl", {"ssl": 993, "starttls": 143, "none": 143}),
            imap_folder=self.get("MAILBOT_IMAP_FOLDER", "INBOX"),
            processed_folder=self.get("MAILBOT_IMAP_PROCESSED_FOLDER", "Processed"),
            failed_folder=self.get("MAILBOT_IMAP_FAILED_FOLDER", "Failed"),
            delete_processed=self.choice("MAILBOT_IMAP_DELETE_PROCESSED", "no", ("yes", "no")) == "yes",
            maildir=maildir,
            smtp=self.endpoint("MAILBOT_SMTP", "smtp" in need, "starttls", {"ssl": 465, "starttls": 587, "none": 25}),
            mongodb_uri=self.get("MAILBOT_MONGODB_URI"),
            mongodb_db=self.get("MAILBOT_MONGODB_DB", "mailbot"),
            data_dir=Path(self.get("MAILBOT_DATA_DIR", "mailbot-data")).expanduser(),
            secret=secret,
            poll_seconds=self.integer("MAILBOT_POLL_SECONDS", C.POLL_SECONDS, low=1),
            batch_size=self.integer("MAILBOT_IMAP_BATCH_SIZE", C.IMAP_BATCH_SIZE, low=1),
            default_category=self.get("MAILBOT_DEFAULT_CATEGORY", C.DEFAULT_CATEGORY),
            default_type=self.choice("MAILBOT_DEFAULT_TYPE", C.DEFAULT_TYPE, C.TICKET_TYPES),
            default_priority=self.choice("MAILBOT_DEFAULT_PRIORITY", C.DEFAULT_PRIORITY, C.PRIORITIES),
            rules=self.rules(self.get("MAILBOT_RULES_FILE")),
            max_attachment_bytes=self.integer("MAILBOT_MAX_ATTACHMENT_BYTES", C.MAX_ATTACHMENT_BYTES),
            max_message_bytes=self.integer("MAILBOT_MAX_MESSAGE_BYTES", C.MAX_MESSAGE_BYTES, low=1),
            send_max_attempts=self.integer("MAILBOT_SEND_MAX_ATTEMPTS", C.SEND_MAX_ATTEMPTS, low=1),
            send_retry_seconds=self.integer("MAILBOT_SEND_RETRY_SECONDS", C.SEND_RETRY_SECONDS, low=1),
            smtp_connections=self.integer("MAILBOT_SMTP_CONNECTIONS", C.SMTP_CONNECTIONS, low=1),
            autoclose_days=self.integer("MAILBOT_AUTOCLOSE_DAYS", C.AUTOCLOSE_DAYS, low=1),
            plus_addressing=self.choice("MAILBOT_PLUS_ADDRESSING", "no", ("yes", "no")) == "yes",
            keywords=self.keywords(),
            escalation_minutes=self.escalation(),
            stale_hours=self.integer("MAILBOT_STALE_ASSIGNMENT_HOURS", C.STALE_ASSIGNMENT_HOURS, low=1),
            seed_agents=self.seeds("MAILBOT_AGENTS"),
            seed_admins=tuple(a.strip().lower() for a in self.get("MAILBOT_ADMINS").split(",") if a.strip()),
        )
        if self.problems:
            raise ConfigError(self.problems)
        return Settings(**values)

    def escalation(self) -> dict:
        """MAILBOT_ESCALATION_MINUTES=urgent=15,high=60,medium=240,low=480 (minutes per level)."""
        table = dict(C.ESCALATION_MINUTES)
        for pair in filter(None, (p.strip() for p in self.get("MAILBOT_ESCALATION_MINUTES").split(","))):
            name, _, minutes = pair.partition("=")
            if name.strip() not in C.PRIORITIES or not minutes.strip().isdigit():
                self.problems.append(f"MAILBOT_ESCALATION_MINUTES: {pair!r} is not priority=minutes")
            else:
                table[name.strip()] = int(minutes)
        return table

    def seeds(self, key) -> tuple:
        """MAILBOT_AGENTS=email:L1[:Name[:Cat|Cat]];... for deployments without a shell."""
        from mailbot.models.agent import InvalidAgent, new_agent
        found = []
        for entry in filter(None, (e.strip() for e in self.get(key).split(";"))):
            email, level, name, cats = (entry.split(":") + ["", "", ""])[:4]
            try:
                found.append(new_agent(email, level, name, "", [c for c in cats.split("|") if c]))
            except InvalidAgent as exc:
                self.problems.append(f"{key}: {entry!r}: {exc}")
        return tuple(found)

    def keywords(self):
        """MAILBOT_KEYWORDS_<ACTION>=word,word overrides the keywords of one action."""
        from mailbot.parsers.keywords import DEFAULT_KEYWORDS
        table = dict(DEFAULT_KEYWORDS)
        for action in DEFAULT_KEYWORDS:
            raw = self.get(f"MAILBOT_KEYWORDS_{action.upper()}")
            if raw:
                table[action] = tuple(w.strip().lower() for w in raw.split(",") if w.strip())
        return table

    def rules(self, path):
        if not path:
            return C.DEFAULT_RULES
        try:
            data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError) as exc:
            self.problems.append(f"MAILBOT_RULES_FILE {path!r} cannot be read: {exc}")
            return C.DEFAULT_RULES
        rules = tuple(data.get("rule", ()))
        for i, rule in enumerate(rules, 1):
            if rule.get("field") not in ("category", "type", "priority") or not rule.get("value"):
                self.problems.append(f"MAILBOT_RULES_FILE rule {i}: needs field (category/type/priority) and value")
        return rules
