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
