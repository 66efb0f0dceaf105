"""Recognise automatic mail (auto-replies, bounces, reports) from headers and structure."""

from __future__ import annotations

import re

AUTO_REPLY, BOUNCE = "auto_reply", "bounce"

_DAEMONS = re.compile(r"^(?:mailer-?daemon|mail-?daemon|post[_-]?master|bounces?|mdaemon|mail\.?delivery"
                      r"|mailer|double-bounce|nobody)(?:[+-].*)?$", re.I)
# Senders that never read replies: no-reply addresses and list managers (owner-x, x-request, x-admin).
_ROBOTS = re.compile(r"^(?:no[-_.]?reply|do[-_.]?not[-_.]?reply|owner-.+|.+-(?:owner|request|admin|bounces?))"
                     r"(?:[+].*)?$", re.I)
_BOUNCE_SUBJECT = re.compile(
    r"undeliver|undelivered|delivery (?:status notification|failure|failed|has failed|problem|report)"
    r"|mail delivery (?:failed|failure|system|subsystem)|returned mail|failure notice|could not send"
    r"|non[- ]?deliver|nondeliverable|mail system error|delivery notification|message not delivered"
    r"|unzustellbar|non remis|no entregado|non recapitabile|onbestelbaar|warning: message .* delayed"
    r"|delayed mail|message delayed|rejected|returned to sender|mail could not be delivered"
    r"|complaint about message|abuse report", re.I)
_AUTO_SUBJECT = re.compile(
    r"^(?:auto(?:matic)?[ -]?(?:reply|response|answer)|out of (?:the )?office|autoreply|abwesenheit"
    r"|réponse automatique|respuesta automática|risposta automatica|automatisch antwoord|automatisk svar"
    r"|on vacation|vacation reply|away from (?:the )?office)\b", re.I)


def _header(msg, name: str) -> str:
    value = msg.get(name)
    return "" if value is None else str(value).strip()


# Rules in order: (kind, why, test). Each test reads the parsed email.message.Message.
RULES = (
    (BOUNCE, "multipart/report", lambda m, s: m.get_content_type() == "multipart/report"),
    (BOUNCE, "delivery-status part", lambda m, s: any(
        p.get_content_type() in ("message/delivery-status", "message/feedback-report") for p in m.walk())),
    (AUTO_REPLY, "Auto-Submitted", lambda m, s: _header(m, "auto-submitted").lower() not in ("", "no")),
    (BOUNCE, "X-Failed-Recipients", lambda m, s: bool(_header(m, "x-failed-recipients"))),
    (BOUNCE, "null Return-Path", lambda m, s: _header(m, "return-path") in ("<>", "<MAILER-DAEMON>")),
    (BOUNCE, "sender is a mail daemon", lambda m, s: bool(_DAEMONS.match(s.partition("@")[0]))),
    (AUTO_REPLY, "sender never reads replies", lambda m, s: bool(_ROBOTS.match(s.partition("@")[0]))),
    (AUTO_REPLY, "mailing-list manager", lambda m, s: bool(_header(m, "x-mlserver") or _header(m, "x-ml-server"))),
    (AUTO_REPLY, "X-Autoreply/X-Autorespond", lambda m, s: bool(
        _header(m, "x-autoreply") or _header(m, "x-autorespond") or _header(m, "x-autoreply-from"))),
    (AUTO_REPLY, "Precedence", lambda m, s: _header(m, "precedence").lower() in ("bulk", "junk", "list", "auto_reply")),
    (AUTO_REPLY, "X-Auto-Response-Suppress", lambda m, s: bool(
        re.search(r"\b(?:all|oof|autoreply)\b", _header(m, "x-auto-response-suppress"), re.I))),
    (AUTO_REPLY, "vendor auto-reply header", lambda m, s: bool(
        _header(m, "x-ms-exchange-inbox-rules-loop") or _header(m, "x-vacation")
        or "vacation" in _header(m, "x-mailer").lower() or _header(m, "x-mailbot-kind"))),
    (BOUNCE, "bounce subject", lambda m, s: bool(_BOUNCE_SUBJECT.search(_header(m, "subject")))
        and not _header(m, "in-reply-to")),
    (AUTO_REPLY, "auto-reply subject", lambda m, s: bool(_AUTO_SUBJECT.search(
        re.sub(r"^(?:re|aw|fw|fwd|sv|vs|antw)\s*:\s*", "", _header(m, "subject"), flags=re.I)))),
)


def auto_kind(msg, sender_email: str) -> tuple[str, str] | None:
    """(auto_reply or bounce, why) for automatic mail; None for mail a person wrote."""
    for kind, why, test in RULES:
        try:
            if test(msg, sender_email):
                return kind, why
        except Exception:  # noqa: BLE001 - a malformed header must not hide the other rules
            continue
    return None
