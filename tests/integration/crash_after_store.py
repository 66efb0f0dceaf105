"""A worker that is killed (SIGKILL) right after the store write, before marking mail done."""

import os
import signal

from mailbot.app import build_app
from mailbot.config import Settings
from mailbot.jobs import poll_inbox
from mailbot.mailbox.imap import ImapMailbox


class DiesBeforeMarkDone(ImapMailbox):
    def mark_done(self, uids):
        os.kill(os.getpid(), signal.SIGKILL)


if __name__ == "__main__":
    s = Settings.from_env()
    poll_inbox(build_app(s, mailbox=lambda: DiesBeforeMarkDone(s.imap, s.imap_folder, s.processed_folder,
                                                              s.failed_folder)))
