"""Automatic-mail detection over sisimai and flufl-bounce (recall) and over human mail (false positives)."""

import json

from mailbot.parsers import parse_message
from tests.conftest import CORPUS, DATA

RECALL_TARGET = 0.98
# flufl.bounce's own test table says groupwise_03 is "not a bounce"; it is a person's mail.
FLUFL_HUMAN = {"tests/data/groupwise_03.txt"}


def _rate(pairs):
    pairs = list(pairs)
    missed = [path for path, raw in pairs if parse_message(raw).auto is None]
    return 1 - len(missed) / len(pairs), len(pairs), missed


def test_sisimai_recall_and_no_false_positive():
    root = CORPUS / "sisimai"
    cases = json.loads((root / "expected.json").read_text())
    rate, count, missed = _rate((p, (root / p).read_bytes()) for p, v in cases.items()
                                if v["is_bounce_or_auto_generated"])
    print(f"\nsisimai: automatic-mail recall {rate:.1%} of {count}; missed {missed}")
    assert rate >= RECALL_TARGET, missed
    human = [p for p, v in cases.items() if not v["is_bounce_or_auto_generated"]]
    assert human and all(parse_message((root / p).read_bytes()).auto is None for p in human)


def test_flufl_bounce_recall_and_no_false_positive():
    root = CORPUS / "flufl-bounce"
    cases = json.loads((root / "expected.json").read_text())
    rate, count, missed = _rate((p, (root / p).read_bytes()) for p in cases if p not in FLUFL_HUMAN)
    print(f"\nflufl-bounce: automatic-mail recall {rate:.1%} of {count}; missed {missed}")
    assert rate >= RECALL_TARGET, missed
    for path in FLUFL_HUMAN & set(cases):
        assert parse_message((root / path).read_bytes()).auto is None, path


def test_bounces_are_mostly_told_from_auto_replies():
    """Both are automatic either way; the kind only decides what the log and inspect say."""
    root = CORPUS / "sisimai"
    cases = json.loads((root / "expected.json").read_text())
    bounces = [parse_message((root / p).read_bytes()).auto[0] for p, v in cases.items()
               if v["derived_category"] == "bounce"]
    share = bounces.count("bounce") / len(bounces)
    print(f"\nsisimai: {share:.1%} of {len(bounces)} bounces labelled bounce")
    assert share >= 0.85


def test_no_false_positive_on_our_own_human_mail():
    for path in DATA.glob("*.eml"):
        msg = parse_message(path.read_bytes())
        assert (msg.auto is None) == (path.name != "out-of-office.eml"), path.name


def test_chatwoot_auto_replies_and_human_mail():
    root = CORPUS / "chatwoot-mailbox"
    for path, case in json.loads((root / "expected.json").read_text()).items():
        if "is_auto_reply" in case:
            assert (parse_message((root / path).read_bytes()).auto is not None) == case["is_auto_reply"], path
