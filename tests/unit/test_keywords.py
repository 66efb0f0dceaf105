"""Command keywords: where they count and where they do not (near-misses from real replies)."""

import pytest

from mailbot.parsers.keywords import find_command
from mailbot.parsers.reply import reply_text


@pytest.mark.parametrize("body, subject, expected", [
    ("claim", "Re: [#T-1] New ticket", ("claim", "")),
    ("Claim.\n\nI'll look at it.", "", ("claim", "I'll look at it.")),
    ("resolved: replaced the toner cartridge", "", ("resolve", "replaced the toner cartridge")),
    ("RESOLVE\nReset the VPN profile.\nShould work now.", "", ("resolve", "Reset the VPN profile.\nShould work now.")),
    ("release - on leave tomorrow", "", ("release", "on leave tomorrow")),
    ("yes", "", ("confirm", "")),
    ("Yes!", "", ("confirm", "")),
    ("👍", "", ("confirm", "")),
    ("no.", "", ("reopen", "")),
    ("reopen, still broken", "", ("reopen", "still broken")),
    ("", "Re: [#T-4] claim", ("claim", "")),
    ("priority high", "", ("set_priority", "high")),
    ("Category: HR", "", ("set_category", "HR")),
    ("type change\nas discussed", "", ("set_type", "change")),
    # near-misses: not commands
    ("Priority is high for us, the CEO is waiting", "", None),
    ("Type of error: 0x80070005", "", None),
    ("No problem, thanks!", "", None),
    ("Yes, but it broke again after lunch", "", None),
    ("Thanks, I will reopen the laptop lid later", "", None),
    ("Claimed by someone else?", "", None),
    ("The resolver service is down", "", None),
    ("Thank you!\n\nOn 3 Dec 2026 at 10:02, Helpdesk <helpdesk@example.com> wrote:\n> reply reopen", "", None),
    ("> claim\nthanks for the update", "", None),
])
def test_find_command(body, subject, expected):
    command = find_command(reply_text(body), subject)
    assert (command.action, command.argument) == expected if expected else command is None


def test_no_real_reply_in_the_corpora_reads_as_a_command():
    """81 real replies (thank-yous, questions, "No problem"-style lines): none is a command."""
    from tests.conftest import CORPUS
    bodies = [*(CORPUS / "crisp-reply-parser").rglob("*.txt"), *(CORPUS / "email-reply-parser").rglob("*.txt"),
              *(CORPUS / "talon-replies").rglob("*.txt"), *(CORPUS / "talon-replies").rglob("*.eml")]
    commands = {p.name: find_command(reply_text(p.read_text(errors="replace")), "") for p in bodies}
    assert len(bodies) >= 60
    assert {name: c for name, c in commands.items() if c} == {}
