"""Signed per-recipient reply tokens: which ticket a reply belongs to, and who may use it."""

from __future__ import annotations

import base64
import hashlib
import hmac
import re

from mailbot.models.ticket import ticket_number

TOKEN = re.compile(r"\b(?:t|T)(\d{1,12})([a-z2-7]{16})\b")
MARKER = "[ref:{token}]"
_MARKER = re.compile(r"\[ref:\s*([tT]\d{1,12}[a-z2-7]{16})\]")


def _mac(secret: str, number: int, recipient: str) -> str:
    digest = hmac.new(secret.encode(), f"{number}|{recipient.lower()}".encode(), hashlib.sha256).digest()
    return base64.b32encode(digest[:10]).decode().lower()


def sign(secret: str, ticket_id: str, recipient: str) -> str:
    """A token such as ``t42abcdefghijklmnop`` naming ticket 42, valid only for ``recipient``."""
    number = ticket_number(ticket_id)
    return f"t{number}{_mac(secret, number, recipient)}"


def verify(secret: str, token: str, sender: str) -> int | None:
    """The ticket number when ``token`` was issued to ``sender``; None for a foreign or forged token."""
    found = TOKEN.fullmatch(token.strip())
    if not found:
        return None
    number = int(found.group(1))
    return number if hmac.compare_digest(found.group(2), _mac(secret, number, sender)) else None


def find_tokens(*texts: str) -> list[str]:
    """Candidate tokens in Message-IDs, plus-addresses (helpdesk+TOKEN@) and body markers."""
    found = []
    for text in texts:
        for match in _MARKER.finditer(text or ""):
            found.append(match.group(1))
        for match in re.finditer(r"[+.]([tT]\d{1,12}[a-z2-7]{16})[@.]", text or ""):
            found.append(match.group(1))
    return list(dict.fromkeys(found))
