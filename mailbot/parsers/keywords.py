"""Find a command keyword in the new text of a reply (or its subject), from a configurable table."""

from __future__ import annotations

from dataclasses import dataclass

from mailbot.parsers.refs import bare_subject

#: action -> keywords, case-insensitive. "standalone" keywords count only alone on the first line.
DEFAULT_KEYWORDS = {
    "claim": ("claim",),
    "resolve": ("resolve", "resolved"),
    "release": ("release",),
    "confirm": ("confirm", "confirmed", "👍"),
    "reopen": ("reopen", "👎"),
    "set_priority": ("priority",),
    "set_category": ("category",),
    "set_type": ("type",),
}
#: Keywords of a new mail (not a reply) asking for the sender's own tickets.
STATUS_KEYWORDS = ("status", "my tickets")
STANDALONE = {"confirm": ("yes", "👍"), "reopen": ("no", "👎")}
LINES_READ = 3
_PUNCT = " \t.,;:!?-–—()\"'"


@dataclass(frozen=True)
class Command:
    """A keyword found in a mail: the action, the word used, and the text after it (e.g. a note)."""

    action: str
    keyword: str
    argument: str
    source: str  # "body" or "subject"


def find_command(reply_text: str, subject: str, table=None, standalone=None) -> Command | None:
    """The first command in the first non-empty, non-quoted lines of the reply, else in the subject."""
    table, standalone = table or DEFAULT_KEYWORDS, standalone or STANDALONE
    lines = [x.strip() for x in reply_text.splitlines() if x.strip() and not x.lstrip().startswith(">")]
    if lines:
        alone = lines[0].strip(_PUNCT).lower()
        for action, words in standalone.items():
            if alone in words:
                return Command(action, alone, "", "body")
    for line in lines[:LINES_READ]:
        found = _leading(line, table)
        if found:
            note = found[2] if found[0].startswith("set_") else (found[2] + "\n" + _after(lines, line)).strip()
            return Command(found[0], found[1], note, "body")
    found = _leading(bare_subject(subject), table)
    return Command(found[0], found[1], found[2], "subject") if found else None


def _leading(line: str, table) -> tuple[str, str, str] | None:
    """(action, keyword, rest) when the line starts with a keyword as a whole word."""
    lowered = line.lower()
    for action, words in table.items():
        for word in words:
            if lowered.startswith(word) and (len(line) == len(word) or not line[len(word)].isalnum()):
                rest = line[len(word):].strip(_PUNCT)
                if action.startswith("set_") and len(rest.split()) != 1:
                    continue  # "priority high" sets a field; "Priority is high for us" is prose
                return action, word, rest
    return None


def _after(lines: list[str], line: str) -> str:
    return "\n".join(lines[lines.index(line) + 1:])
