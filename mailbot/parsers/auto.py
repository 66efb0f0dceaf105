"""Recognise automatic mail (auto-replies, bounces) from its headers."""

from __future__ import annotations

from mailbot.constants import AUTO_HEADERS

_DAEMONS = ("mailer-daemon", "postmaster")


def auto_reason(headers, sender_email: str, content_type: str) -> str | None:
    """Why this mail is automatic, or None for mail written by a person."""
    for name, test in AUTO_HEADERS.items():
        for value in headers.get_all(name) or ():
            if test(str(value)):
                return f"{name}: {str(value).strip()[:60]}"
    if content_type == "multipart/report":
        return "delivery report (multipart/report)"
    local = sender_email.partition("@")[0]
    if local in _DAEMONS:
        return f"sender is {local}"
    return None
