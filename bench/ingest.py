"""Ingestion benchmark: `mailbot poll --once` against raw imapclient fetch-and-parse, same mails, same Dovecot.

The raw rate is imapclient fetching in batches of 100 and the stdlib (policy.default) reading what a
ticket needs from each mail: the headers, the body text and the attachments' bytes. That is the
"raw fetch-and-parse" of issue 2, whose reference figure on this machine is ~370 mails/s. The bench also
prints a thinner floor, "split": message_from_bytes alone, which decodes no header and no content.

Each round times the raw rate just before and just after mailbot (from the folder mailbot moved the
mails to), so the ratio compares like with like on a machine whose speed drifts; between rounds the
mails go back to the inbox and mailbot starts from an empty data directory.

Usage: python bench/ingest.py [--n 2000] [--rounds 3]   (or ./dev bench)
"""

from __future__ import annotations

import argparse
import base64
import email
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from email import policy
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from tests.servers import Dovecot, SmtpSink  # noqa: E402

TUNING = ("MAILBOT_SMTP_CONNECTIONS", "MAILBOT_IMAP_BATCH_SIZE")  # passed through from the environment
CHARSETS = [("windows-1252", "Grüße, der Drucker zeigt „Papierstau“ – bitte prüfen. 30 €"),
            ("iso-8859-2", "Dzień dobry, drukarka na piętrze nie działa."),
            ("koi8-r", "Здравствуйте, не работает принтер на третьем этаже."),
            ("shift_jis", "プリンターが動きません。確認してください。")]


def generate(i: int) -> bytes:
    """Mail i of a mix: plain, HTML-only, with a 24 KB attachment, and non-UTF-8."""
    head = (f"From: User {i} <user{i % 97}@example.org>\r\nTo: helpdesk@example.com\r\n"
            f"Subject: Request {i}: printer on floor {i % 7}\r\nDate: Thu, 03 Dec 2026 09:00:00 +0000\r\n"
            f"Message-ID: <bench-{i}@example.org>\r\nMIME-Version: 1.0\r\n")
    kind = i % 4
    if kind == 0:
        body = "Hello,\r\n\r\nthe printer on my floor is jammed again.\r\n" * 5
        return (head + "Content-Type: text/plain; charset=utf-8\r\n\r\n" + body).encode()
    if kind == 1:
        html = ("<html><head><style>p{color:red}</style></head><body><p>Hello,</p><ul><li>printer jammed</li>"
                "<li>tray 2</li></ul><table><tr><td>floor</td><td>3</td></tr></table>"
                "<p>See <a href='https://wiki.example.com/printers'>wiki</a></p></body></html>")
        return (head + "Content-Type: text/html; charset=utf-8\r\n\r\n" + html).encode()
    if kind == 2:
        blob = base64.encodebytes(os.urandom(24 * 1024)).decode().replace("\n", "\r\n")
        return (head + 'Content-Type: multipart/mixed; boundary="b"\r\n\r\n--b\r\n'
                "Content-Type: text/plain; charset=utf-8\r\n\r\nLog file attached.\r\n--b\r\n"
                'Content-Type: application/octet-stream; name="printer.log"\r\n'
                'Content-Disposition: attachment; filename="printer.log"\r\n'
                "Content-Transfer-Encoding: base64\r\n\r\n" + blob + "--b--\r\n").encode()
    charset, text = CHARSETS[i % len(CHARSETS)]
    return head.encode() + f"Content-Type: text/plain; charset={charset}\r\nContent-Transfer-Encoding: 8bit\r\n\r\n".encode() \
        + text.encode(charset) + b"\r\n"


def stdlib_read(raw: bytes) -> None:
    """What a stdlib ingester reads from a mail: headers, body text, attachment names and bytes."""
    msg = email.message_from_bytes(raw, policy=policy.default)
    for name in ("subject", "from", "to", "cc", "message-id", "in-reply-to", "references", "date"):
        msg[name]
    body = msg.get_body(preferencelist=("plain", "html"))
    if body is not None:
        body.get_content()
    for part in msg.iter_attachments():
        part.get_filename(), part.get_content()


def stdlib_split(raw: bytes) -> None:
    """Only the MIME tree: headers kept as raw text, nothing decoded."""
    email.message_from_bytes(raw, policy=policy.default)


def raw_rate(dovecot: Dovecot, n: int, folder: str, parse) -> float:
    """imapclient fetch in batches of 100 plus ``parse`` on each mail."""
    start = time.perf_counter()
    client = dovecot.client()
    client.select_folder(folder, readonly=True)
    uids = client.search(["ALL"])
    parsed = 0
    for k in range(0, len(uids), 100):
        for item in client.fetch(uids[k:k + 100], ["BODY.PEEK[]"]).values():
            parse(item[b"BODY[]"])
            parsed += 1
    client.logout()
    assert parsed == n, parsed
    return n / (time.perf_counter() - start)


def raw_rates(dovecot: Dovecot, n: int, folder: str) -> tuple[float, float]:
    """(read, split) rates over the mails in ``folder``."""
    return raw_rate(dovecot, n, folder, stdlib_read), raw_rate(dovecot, n, folder, stdlib_split)


class PeakMemory(threading.Thread):
    """Samples VmHWM of a process and its descendants every 10 ms; ``stop()`` gives their summed peaks in MB.

    Not wait4's ru_maxrss: Linux carries the launching process's size over into it, and this process
    holds every generated mail."""

    def __init__(self, pid: int):
        super().__init__(daemon=True)
        self.pid, self.peaks, self.done = pid, {}, threading.Event()

    def run(self) -> None:
        while not self.done.wait(0.01):
            pending = [(self.pid, None)]
            while pending:
                pid, parent_cmdline = pending.pop()
                try:
                    status = Path(f"/proc/{pid}/status").read_text()
                    cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
                    kids = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
                except OSError:  # gone meanwhile
                    continue
                # A child that still has its parent's command line is forked but not yet exec'd:
                # its pages are the parent's, already counted.
                if "\nVmHWM:" in status and cmdline != parent_cmdline:
                    hwm = int(status.split("\nVmHWM:")[1].split()[0])
                    self.peaks[pid] = max(self.peaks.get(pid, 0), hwm)
                pending += [(int(kid), cmdline) for kid in kids]

    def stop(self) -> int:
        self.done.set()
        self.join()
        return sum(self.peaks.values()) // 1024


def mailbot_rate(dovecot: Dovecot, smtp: SmtpSink, n: int, data_dir: str) -> tuple[float, int, str]:
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("MAILBOT_")},
           "MAILBOT_IMAP_HOST": "127.0.0.1", "MAILBOT_IMAP_PORT": str(dovecot.port),
           "MAILBOT_IMAP_USER": dovecot.user, "MAILBOT_IMAP_PASSWORD": dovecot.password,
           "MAILBOT_IMAP_SECURITY": "none", "MAILBOT_SMTP_HOST": "127.0.0.1", "MAILBOT_SMTP_PORT": str(smtp.port),
           "MAILBOT_SMTP_SECURITY": "none", "MAILBOT_ADDRESS": "helpdesk@example.com",
           "MAILBOT_DATA_DIR": data_dir, "MAILBOT_SECRET": "bench-secret-0123456789",
           "MAILBOT_LOG_LEVEL": os.environ.get("BENCH_LOG_LEVEL", "WARNING"),
           **{k: v for k, v in os.environ.items() if k in TUNING}}
    exe = str(Path(sys.executable).parent / "mailbot")
    start = time.perf_counter()
    log = Path(data_dir, "poll.log")
    with log.open("wb") as out:  # a file, not a pipe: a full pipe would stall the run
        proc = subprocess.Popen([exe, "poll", "--once"], env=env, stdout=out, cwd=data_dir)
        memory = PeakMemory(proc.pid)
        memory.start()
        _, status, usage = os.wait4(proc.pid, 0)
        peak_mb = memory.stop()
    elapsed = time.perf_counter() - start
    summary = log.read_text().strip().splitlines()[-1]
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"mailbot poll --once failed: {summary}")
    return n / elapsed, peak_mb, f"{summary}; CPU {usage.ru_utime + usage.ru_stime:.1f}s in {elapsed:.1f}s"


def back_to_inbox(dovecot: Dovecot, n: int) -> None:
    """Put the mails mailbot moved to Processed back in the inbox for the next round."""
    client = dovecot.client()
    client.select_folder("Processed")
    uids = client.search(["ALL"])
    assert len(uids) == n, f"Processed holds {len(uids)} mails, expected {n}"
    client.move(uids, "INBOX")
    client.logout()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    n = args.n
    dovecot, smtp = Dovecot().start(), SmtpSink().start()
    try:
        t = time.perf_counter()
        mails = [generate(i) for i in range(n)]
        client = dovecot.client()
        for raw in mails:
            client.append("INBOX", raw)
        client.logout()
        print(f"appended {n} mails ({sum(map(len, mails)) / 1e6:.1f} MB) in {time.perf_counter() - t:.1f}s")
        ratios, thin, rates, rss = [], [], [], 0
        for round_ in range(1, args.rounds + 1):
            if round_ > 1:
                back_to_inbox(dovecot, n)
            sent_before = len(smtp.received)
            before = raw_rates(dovecot, n, "INBOX")
            rate, rss_mb, summary = mailbot_rate(dovecot, smtp, n, tempfile.mkdtemp(prefix="mailbot-bench-"))
            after = raw_rates(dovecot, n, "Processed")
            acks = len(smtp.received) - sent_before
            assert acks == n, f"round {round_}: the SMTP server received {acks} acknowledgements, expected {n}"
            raw, split = (before[0] + after[0]) / 2, (before[1] + after[1]) / 2
            ratios.append(rate / raw)
            thin.append(rate / split)
            rates.append(rate)
            rss = max(rss, rss_mb)
            print(f"round {round_}: raw {before[0]:5.0f}/{after[0]:5.0f} mails/s (before/after), split {before[1]:5.0f}/"
                  f"{after[1]:5.0f}, mailbot {rate:5.0f} mails/s: ratio {rate / raw:.2f}x ({rate / split:.2f}x of split);"
                  f" peak RSS {rss_mb} MB  [{summary}]")
        print(f"mailbot ingest  : {statistics.median(rates):7.1f} mails/s median of {args.rounds}"
              " (tickets stored, mail moved, acknowledgements sent)")
        print(f"ratio to raw    : {statistics.median(ratios):7.2f}x median, {min(ratios):.2f}x worst  (target >= 0.5x)")
        print(f"ratio to split  : {statistics.median(thin):7.2f}x median, {min(thin):.2f}x worst  (nothing decoded)")
        print(f"peak RSS        : {rss:7d} MB, all mailbot processes together  (target < 150 MB)")
    finally:
        dovecot.stop()
        smtp.stop()


if __name__ == "__main__":
    main()
