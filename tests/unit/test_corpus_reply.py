"""reply_text over the two reply-parser corpora: exact match of the visible text (lines right-stripped)."""

import pytest

from mailbot.parsers.reply import reply_text
from tests.corpus.reply_cases import cases, normalize

TARGET = 0.90


@pytest.mark.parametrize("corpus", ["email-reply-parser", "crisp-reply-parser"])
def test_reply_corpus_exact_match_rate(corpus):
    found = list(cases(corpus))
    misses = [path for path, body, expected in found if normalize(reply_text(body)) != normalize(expected)]
    rate = 1 - len(misses) / len(found)
    print(f"\n{corpus}: {len(found) - len(misses)}/{len(found)} exact ({rate:.1%}); misses: {misses}")
    assert len(found) >= 8 and rate >= TARGET, misses


@pytest.mark.parametrize("body, expected", [
    ("Thanks, works now!\n\nOn Tue, 3 Dec 2026 at 10:02, Helpdesk <helpdesk@example.com> wrote:\n> reply reopen",
     "Thanks, works now!"),
    ("claim\n\nSent from my iPhone\n\n> On 3 Dec 2026, at 10:00, Helpdesk wrote:\n> ticket", "claim"),
    ("resolved: replaced the toner\n-- \nBob\nIT team", "resolved: replaced the toner"),
    ("Merci !\n\nLe mar. 3 déc. 2026 à 10:02, Helpdesk <helpdesk@example.com> a écrit :\n> texte", "Merci !"),
    ("confirm\n\n-----Original Message-----\nFrom: Helpdesk\nSent: Tuesday\nTo: ann\nSubject: x\n\nreopen",
     "confirm"),
    ("yes\n\nFrom: Helpdesk <helpdesk@example.com>\nSent: Tuesday, December 3, 2026 10:00\nTo: Ann\n"
     "Subject: [#T-1] resolved\n\nPlease reply confirm or reopen.", "yes"),
    ("Sent from my desk, which is easier than my phone.", "Sent from my desk, which is easier than my phone."),
    ("We meet at 10:30 on 3 Dec 2026 in room 4:\nbring the laptop", "We meet at 10:30 on 3 Dec 2026 in room 4:\n"
     "bring the laptop"),
])
def test_reply_text_rules(body, expected):
    assert reply_text(body) == expected
