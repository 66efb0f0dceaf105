"""Real local servers for tests: a throwaway Dovecot, aiosmtpd and secantusdb."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port: int, proc: subprocess.Popen, log: Path, deadline: float = 20.0) -> None:
    """Block until a server accepts connections; fail with its log if it dies first."""
    end = time.monotonic() + deadline
    while time.monotonic() < end:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}:\n{log.read_text(errors='replace')}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"server did not listen on {port} within {deadline}s:\n{log.read_text(errors='replace')}")


def stop(proc: subprocess.Popen, sig=signal.SIGTERM) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, sig)
        proc.wait(timeout=10)


class Secantus:
    """A MongoDB-wire server (secantusdb) on 127.0.0.1, durable with --sync-on-commit."""

    def __init__(self, root: Path):
        self.root, self.port, self.proc = root, free_port(), None
        self.uri = f"mongodb://127.0.0.1:{self.port}"

    def start(self) -> "Secantus":
        exe = shutil.which("secantusd-py") or str(Path(os.sys.executable).parent / "secantusd-py")
        log = self.root / "secantus.log"
        self.proc = subprocess.Popen(
            [exe, "--host", "127.0.0.1", "--port", str(self.port), "--storage-path", str(self.root / "data"),
             "--sync-on-commit"], stdout=log.open("ab"), stderr=subprocess.STDOUT, start_new_session=True)
        wait_for_port(self.port, self.proc, log)
        return self

    def kill(self) -> None:
        stop(self.proc, signal.SIGKILL)

    def stop(self) -> None:
        stop(self.proc)


DOVECOT_CONF = """\
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
info_log_path = {root}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
mail_location = maildir:{root}/mail/%u/Maildir
mail_max_userip_connections = 50
first_valid_uid = {uid}
first_valid_gid = {gid}
{users}
namespace inbox {{
  inbox = yes
  separator = /
}}
passdb {{
  driver = passwd-file
  args = {root}/passwd
}}
userdb {{
  driver = passwd-file
  args = {root}/passwd
}}
service imap-login {{
  {chroot}
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
service anvil {{
  {anvil_chroot}
}}
"""


class Dovecot:
    """A throwaway Dovecot IMAP server on 127.0.0.1 with one mail user."""

    user, password = "helpdesk", "imap-secret-pw"

    def __init__(self):
        # Not under pytest's tmp_path: that is mode 0700, and Dovecot's auth and mail
        # processes run as other users that must read the passwd file and the Maildir.
        import tempfile
        self.root = Path(tempfile.mkdtemp(prefix="mailbot-dovecot-"))
        self.root.chmod(0o755)
        self.port, self.proc = free_port(), None

    def start(self) -> "Dovecot":
        exe = shutil.which("dovecot") or "/usr/sbin/dovecot"
        if not Path(exe).exists():
            raise RuntimeError("Dovecot is not installed: run `apt-get install dovecot-imapd` (.ci/run does)")
        as_root = os.geteuid() == 0
        if as_root:
            import pwd
            nobody = pwd.getpwnam("nobody")
            uid, gid = nobody.pw_uid, nobody.pw_gid
            users = "default_login_user = dovenull\ndefault_internal_user = dovecot"
            chroot, anvil = "chroot = login", ""
        else:
            uid, gid = os.getuid(), os.getgid()
            import getpass
            me = getpass.getuser()
            users = f"default_login_user = {me}\ndefault_internal_user = {me}"
            chroot, anvil = "chroot =", "chroot ="
        for sub in ("run", "state", f"mail/{self.user}/Maildir"):
            (self.root / sub).mkdir(parents=True, exist_ok=True)
        (self.root / "passwd").write_text(
            f"{self.user}:{{PLAIN}}{self.password}:{uid}:{gid}::{self.root}/mail/{self.user}::\n")
        conf = self.root / "dovecot.conf"
        conf.write_text(DOVECOT_CONF.format(root=self.root, uid=uid, gid=gid, users=users, port=self.port,
                                            chroot=chroot, anvil_chroot=anvil))
        if as_root:
            shutil.chown(self.root / "mail", uid, gid)
            for path in (self.root / "mail").rglob("*"):
                shutil.chown(path, uid, gid)
        check = subprocess.run([exe, "-c", str(conf), "-n"], capture_output=True, text=True)
        if check.returncode:
            raise RuntimeError(f"bad Dovecot config: {check.stderr}")
        log = self.root / "dovecot.log"
        log.touch()
        self.proc = subprocess.Popen([exe, "-F", "-c", str(conf)], stdout=log.open("ab"),
                                     stderr=subprocess.STDOUT, start_new_session=True)
        wait_for_port(self.port, self.proc, log)
        return self

    def stop(self) -> None:
        stop(self.proc)
        shutil.rmtree(self.root, ignore_errors=True)

    def client(self):
        from imapclient import IMAPClient
        client = IMAPClient("127.0.0.1", port=self.port, ssl=False, timeout=30)
        client.login(self.user, self.password)
        return client

    def append(self, *raws: bytes, folder: str = "INBOX") -> None:
        client = self.client()
        try:
            for raw in raws:
                client.append(folder, raw)
        finally:
            client.logout()

    def count(self, folder: str) -> int:
        client = self.client()
        try:
            if not client.folder_exists(folder):
                return 0
            return client.folder_status(folder, ["MESSAGES"])[b"MESSAGES"]
        finally:
            client.logout()

    def messages(self, folder: str) -> list[bytes]:
        client = self.client()
        try:
            client.select_folder(folder, readonly=True)
            uids = client.search(["ALL"])
            return [v[b"BODY[]"] for _, v in sorted(client.fetch(uids, ["BODY.PEEK[]"]).items())] if uids else []
        finally:
            client.logout()


class SmtpSink:
    """A real aiosmtpd server on 127.0.0.1 that records what it receives,
    and can be told to answer with a temporary or permanent failure."""

    def __init__(self):
        import threading
        self.received, self.reply = [], "250 OK"
        self.arrived = threading.Condition()
        self.controller = None

    async def handle_DATA(self, server, session, envelope):
        if not self.reply.startswith("250"):
            return self.reply
        with self.arrived:
            self.received.append(envelope)
            self.arrived.notify_all()
        return "250 OK"

    def start(self) -> "SmtpSink":
        from aiosmtpd.controller import Controller
        self.controller = Controller(self, hostname="127.0.0.1", port=free_port())
        self.controller.start()
        return self

    @property
    def port(self) -> int:
        return self.controller.port

    def stop(self) -> None:
        self.controller.stop()

    def messages(self):
        import email
        from email import policy
        return [email.message_from_bytes(e.original_content, policy=policy.default) for e in self.received]
