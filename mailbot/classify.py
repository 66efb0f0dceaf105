"""Category, type and priority of a new ticket, from an ordered table of rules."""

from __future__ import annotations

import re
from dataclasses import dataclass

from mailbot.models.message import InboundMessage

FIELDS = ("category", "type", "priority")
#: How a rule can match, strongest first: the address the mail was sent to, a subject tag, a keyword.
MATCHERS = ("to", "tags", "keywords")
BODY_SCAN_CHARS = 4000


@dataclass(frozen=True)
class Rule:
    """One compiled rule: which field it sets, to what, and what triggers it."""

    field: str
    value: str
    to: frozenset
    tags: re.Pattern | None
    keywords: re.Pattern | None


def compile_rules(rules) -> tuple[Rule, ...]:
    """Turn rule tables (from constants or a TOML file) into matchers."""
    compiled = []
    for rule in rules:
        tags = [re.escape(t) for t in rule.get("tags", ())]
        words = [re.escape(k).replace(r"\ ", r"\s+") for k in rule.get("keywords", ())]
        compiled.append(Rule(
            field=rule["field"], value=rule["value"],
            to=frozenset(a.lower() for a in rule.get("to", ())),
            tags=re.compile(r"\[(?:%s)\]" % "|".join(tags), re.I) if tags else None,
            keywords=re.compile(r"(?<!\w)(?:%s)(?!\w)" % "|".join(words), re.I) if words else None))
    return tuple(compiled)


def classify(msg: InboundMessage, rules: tuple[Rule, ...], defaults: dict) -> dict:
    """``{"category", "type", "priority"}`` for a mail; the first, strongest match wins per field."""
    local_parts = set()
    for addr in msg.recipients:
        local = addr.email.partition("@")[0]
        local_parts |= {addr.email, local, local.partition("+")[2]}
    text = f"{msg.subject}\n{msg.text[:BODY_SCAN_CHARS]}"
    tests = {
        "to": lambda r: bool(r.to & local_parts),
        "tags": lambda r: r.tags is not None and r.tags.search(msg.subject) is not None,
        "keywords": lambda r: r.keywords is not None and r.keywords.search(text) is not None,
    }
    result = dict(defaults)
    for field in FIELDS:
        candidates = [r for r in rules if r.field == field]
        result[field] = next((r.value for how in MATCHERS for r in candidates if tests[how](r)), defaults[field])
    return result
