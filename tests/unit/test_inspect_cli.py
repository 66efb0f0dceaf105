"""``mailbot inspect --json``: how a reply is read, storing nothing."""

import json
import subprocess

from tests.integration.helpers import MAILBOT

REPLY = b"""From: Ann <ann@example.org>
To: helpdesk@example.com
Subject: Re: [#T-7] We received your request
Message-ID: <r1@example.org>
In-Reply-To: <mailbot.ack.0123.t7abcdefghijklmnop@example.com>

No problem, thanks! It works.

On Tue, 3 Dec 2026 at 10:02, Helpdesk <helpdesk@example.com> wrote:
> Please reply confirm or reopen.
"""


def test_inspect_shows_reply_text_command_and_reference(tmp_path):
    path = tmp_path / "reply.eml"
    path.write_bytes(REPLY)
    out = subprocess.run([MAILBOT, "inspect", str(path), "--json"], capture_output=True, text=True,
                         cwd=tmp_path, check=True).stdout
    seen = json.loads(out)
    assert seen["reply_text"] == "No problem, thanks! It works."
    assert seen["command"] is None, "'No problem' is not a reopen"
    assert seen["ticket_ref"]["subject_tag"] == "T-7"
    assert seen["ticket_ref"]["tokens"] == ["t7abcdefghijklmnop"]
    assert (seen["is_auto_reply"], seen["is_bounce"]) == (False, False)
    assert not (tmp_path / "mailbot-data").exists(), "inspect stores nothing"
