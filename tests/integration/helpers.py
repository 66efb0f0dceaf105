"""Run the real ``mailbot`` command against the test servers."""

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import DATA

MAILBOT = str(Path(sys.executable).parent / "mailbot")


def mailbot(env: dict, *args: str, cwd: Path | None = None, check: bool = True) -> subprocess.CompletedProcess:
    """Run the installed console script with exactly this environment."""
    full = {k: v for k, v in os.environ.items() if not k.startswith("MAILBOT_")}
    full.update(env)
    proc = subprocess.run([MAILBOT, *args], env=full, cwd=cwd or env["MAILBOT_DATA_DIR"].rsplit("/", 1)[0],
                          capture_output=True, text=True, timeout=120)
    if check and proc.returncode != 0:
        raise AssertionError(f"mailbot {' '.join(args)} exited {proc.returncode}:\n{proc.stdout}\n{proc.stderr}")
    return proc


def tickets(env: dict) -> list[dict]:
    return json.loads(mailbot(env, "tickets", "list", "--json").stdout)


def eml(name: str) -> bytes:
    return (DATA / name).read_bytes()
