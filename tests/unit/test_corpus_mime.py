"""parse_message over the stalwart-mime corpus: subject, from, text and attachment names."""

import json
import re

from mailbot.parsers import parse_message
from tests.conftest import CORPUS

ROOT = CORPUS / "stalwart-mime"
TARGET = 0.85


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def check_case(path: str, expected: dict) -> list[str]:
    """The differences between mailbot's reading and the corpus's expected values."""
    msg = parse_message((ROOT / path).read_bytes())
    problems = []
    if "subject" in expected and _norm(msg.subject) != _norm(expected["subject"]):
        problems.append(f"subject {msg.subject!r} != {expected['subject']!r}")
    want_from = [a["address"].lower() for a in expected.get("from", []) if a.get("address")]
    if want_from and (msg.sender is None or msg.sender.email != want_from[0]):
        problems.append(f"from {msg.sender} != {want_from[0]}")
    body = _norm(msg.text)
    for part in expected.get("text_body", []):
        if part.get("body_kind") == "text" and _norm(part["text"]) not in body:
            problems.append(f"text part {part['part']} {part['text'][:40]!r} missing")
    names = {a.filename for a in msg.attachments}
    for part in expected.get("attachments", []):
        if part.get("filename") and part["filename"] not in names:
            problems.append(f"attachment {part['filename']!r} not in {sorted(names)}")
    return problems


def test_stalwart_corpus_pass_rate():
    cases = json.loads((ROOT / "expected.json").read_text())
    failures = {path: p for path, exp in cases.items() if (p := check_case(path, exp))}
    rate = 1 - len(failures) / len(cases)
    print(f"\nstalwart-mime: {len(cases) - len(failures)}/{len(cases)} pass ({rate:.0%})")
    for path, problems in failures.items():
        print(f"  {path}: {'; '.join(problems)}")
    assert rate >= TARGET, failures
