"""Nothing lost, nothing doubled: a kill -9 mid-pass, and two workers at once."""

import os
import signal
import subprocess
import sys

from tests.integration.helpers import MAILBOT, eml, mailbot, tickets


def _env(env):
    return {**{k: v for k, v in os.environ.items() if not k.startswith("MAILBOT_")}, **env}


def test_kill_between_store_write_and_mark_done_then_restart(env, dovecot, smtp):
    dovecot.append(eml("plain.eml"))
    crashed = subprocess.run([sys.executable, "-m", "tests.integration.crash_after_store"], env=_env(env),
                             capture_output=True, text=True, timeout=60)
    assert crashed.returncode == -signal.SIGKILL, crashed.stderr
    assert len(tickets(env)) == 1, "the store holds the ticket written before the kill"
    assert dovecot.count("INBOX") == 1, "the mail was not marked done"

    mailbot(env, "poll", "--once")
    assert len(tickets(env)) == 1
    assert dovecot.count("INBOX") == 0 and dovecot.count("Processed") == 1
    assert len(smtp.received) == 1, "exactly one acknowledgement"


def _variant(i: int) -> bytes:
    return eml("plain.eml").replace(b"<plain-1@example.org>", f"<race-{i}@example.org>".encode()) \
        .replace(b"VPN keeps disconnecting", f"Request number {i}".encode())


def test_two_workers_at_once_make_each_ticket_once(env, dovecot, smtp):
    dovecot.append(*(_variant(i) for i in range(30)))
    workers = [subprocess.Popen([MAILBOT, "poll", "--once"], env=_env({**env, "MAILBOT_IMAP_BATCH_SIZE": "5"}),
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    outputs = [w.communicate(timeout=120) for w in workers]
    assert [w.returncode for w in workers] == [0, 0], [err for _, err in outputs]
    assert len(tickets(env)) == 30
    assert dovecot.count("INBOX") == 0 and dovecot.count("Processed") >= 30
    ids = [m["In-Reply-To"] for m in smtp.messages()]
    assert len(ids) == 30 and len(set(ids)) == 30, "one acknowledgement per ticket, never two"


def test_folders_created_by_another_worker_meanwhile_do_not_stop_the_poll(settings, dovecot):
    """Two workers starting together both find no Processed folder and both CREATE it: the loser
    must carry on, not end its pass with ALREADYEXISTS."""
    from mailbot.mailbox.imap import ImapMailbox

    class CheckedBeforeTheOtherCreated(ImapMailbox):
        def _connect(self):
            client = super()._connect()
            real, asked = client.folder_exists, set()

            def exists(name):  # the first check of each folder ran before the other worker's CREATE
                if name in asked:
                    return real(name)
                asked.add(name)
                return False
            client.folder_exists = exists
            return client

    other = dovecot.client()
    other.create_folder("Processed")
    other.create_folder("Failed")
    other.logout()
    dovecot.append(eml("plain.eml"))
    box = CheckedBeforeTheOtherCreated(settings.imap, "INBOX", "Processed", "Failed")
    with box:
        uids = box.state(0).uids
        box.mark_done(uids)
    assert dovecot.count("INBOX") == 0 and dovecot.count("Processed") == 1
