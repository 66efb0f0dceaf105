"""Message-IDs: normalise them, read reference lists, synthesise a stable one."""

from __future__ import annotations

import hashlib
import re

_ID = re.compile(r"<([^<>\s]+)>")
_TAG = re.compile(r"\[#T-(\d+)\]")
_REPLY_PREFIX = re.compile(r"^\s*(?:(?:re|aw|sv|vs|antw|fw|fwd|wg|tr)\s*(?:\[\d+\])?\s*:\s*|\[[^\]]*\]\s*)+", re.I)


def normalize_id(value: str | None) -> str | None:
    """``<id@host>`` from a header value, or None when it holds no usable id."""
    if not value:
        return None
    found = _ID.search(value)
    if found:
        return f"<{found.group(1)}>"
    bare = value.strip().split()
    return f"<{bare[0].strip('<>')}>" if bare and "@" in bare[0] else None


def id_list(value: str | None) -> tuple[str, ...]:
    """Every Message-ID named in a References or In-Reply-To header, in order."""
    return tuple(f"<{m}>" for m in _ID.findall(value or ""))


def synthesize_id(raw: bytes) -> str:
    """A stable Message-ID for a mail that has none, from its bytes (line endings ignored)."""
    digest = hashlib.sha256(raw.replace(b"\r\n", b"\n")).hexdigest()[:40]
    return f"<{digest}@mailbot.invalid>"


def subject_ticket(subject: str) -> int | None:
    """The ticket number in a subject tag such as ``[#T-42]``, if any."""
    found = _TAG.search(subject)
    return int(found.group(1)) if found else None


def bare_subject(subject: str) -> str:
    """A subject without its Re:/Fwd: prefixes and bracketed tags."""
    return _REPLY_PREFIX.sub("", subject)
