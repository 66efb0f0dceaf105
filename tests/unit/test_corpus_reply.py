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


@pytest.mark.parametrize("html, expected", [
    # Gmail: the attribution line, then a blockquote
    ('<div dir="ltr">confirm</div><br><div class="gmail_quote"><div dir="ltr" class="gmail_attr">On Thu, '
     'Dec 3, 2026 at 10:00 AM Helpdesk &lt;<a href="mailto:helpdesk@example.com">helpdesk@example.com</a>&gt; '
     'wrote:<br></div><blockquote class="gmail_quote">Reply confirm or reopen.</blockquote></div>', "confirm"),
    # Outlook: a header block in a bordered div
    ('<div>reopen - still broken</div><hr><div id="divRplyFwdMsg"><b>From:</b> Helpdesk &lt;helpdesk@example.com'
     '&gt;<br><b>Sent:</b> Thursday, December 3, 2026 10:00<br><b>To:</b> Ann<br><b>Subject:</b> [#T-1] resolved'
     '</div><div>Reply confirm or reopen.</div>', "reopen - still broken"),
    # Apple Mail
    ('<div>claim</div><div><br><blockquote type="cite"><div>On 3 Dec 2026, at 10:00, Helpdesk &lt;helpdesk@'
     'example.com&gt; wrote:</div><div>New ticket</div></blockquote></div>', "claim"),
])
def test_html_replies_keep_only_the_new_text(html, expected):
    from mailbot.parsers.html import html_to_text
    assert reply_text(html_to_text(html)) == expected
