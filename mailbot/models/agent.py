"""Agents: who works tickets, at which level."""

from __future__ import annotations

import re

from mailbot import constants as C
from mailbot.errors import MailbotError

_ADDRESS = re.compile(r"^[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+$")


class InvalidAgent(MailbotError):
    """Raised when an agent's address or level is not valid."""


def new_agent(email: str, level: str, name: str, now: str, categories=()) -> dict:
    """A validated agent record."""
    email, level = email.strip().lower(), level.strip().upper()
    problems = []
    if not _ADDRESS.match(email):
        problems.append(f"not an email address: {email!r}")
    if level not in C.LEVELS:
        problems.append(f"unknown level {level!r} (use {', '.join(C.LEVELS)})")
    if problems:
        raise InvalidAgent("; ".join(problems))
    return {"email": email, "name": name.strip() or email.partition("@")[0], "level": level,
            "categories": sorted(set(categories)), "active": True, "created_at": now}


def level_rank(level: str) -> int:
    """L1 -> 1, L2 -> 2, L3 -> 3."""
    return C.LEVELS.index(level) + 1
