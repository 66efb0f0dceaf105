"""``mailbot run`` until SIGTERM, ``mailbot demo`` on a fresh directory, and ``mailbot check``."""

import os
import signal
import subprocess

from tests.integration.helpers import MAILBOT, eml, mailbot, tickets


def _env(env):
    return {**{k: v for k, v in os.environ.items() if not k.startswith("MAILBOT_")}, **env}


def test_run_polls_on_schedule_and_stops_cleanly_on_sigterm(env, dovecot, smtp, tmp_path):
    worker = subprocess.Popen([MAILBOT, "run"], env=_env({**env, "MAILBOT_POLL_SECONDS": "1"}), cwd=tmp_path,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        dovecot.append(eml("plain.eml"))
        with smtp.arrived:
            assert smtp.arrived.wait_for(lambda: smtp.received, timeout=30), "no acknowledgement within 30s"
    finally:
        worker.send_signal(signal.SIGTERM)
        out, err = worker.communicate(timeout=30)
    assert worker.returncode == 0, err
    assert "worker stopped" in out and "created ticket T-1" in out
    assert len(tickets(env)) == 1 and dovecot.count("Processed") == 1


def test_demo_runs_on_a_fresh_machine_with_nothing_configured(tmp_path):
    proc = subprocess.run([MAILBOT, "demo", "--port", "0", "--exit-after-sample"], cwd=tmp_path,
                          env=_env({}), capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert "swaks --server 127.0.0.1:" in proc.stdout
    assert "mailbot sent to alice@example.org: [#T-1] We received your request" in proc.stdout
    demo = tmp_path / "mailbot-demo"
    listed = tickets({"MAILBOT_DATA_DIR": str(demo)})
    assert [(t["id"], t["created_by"], t["status"]) for t in listed] == [("T-1", "alice@example.org", "open")]
    assert len(list((demo / "sent").glob("*.eml"))) == 1


def test_check_reports_each_service(env, dovecot, smtp):
    ok = mailbot(env, "check")
    assert "store: ok" in ok.stdout and "mailbox: ok" in ok.stdout and "smtp: ok" in ok.stdout
    bad = mailbot({**env, "MAILBOT_IMAP_PASSWORD": "wrong-password-123"}, "check", check=False)
    assert bad.returncode == 1 and "mailbox: FAILED" in bad.stdout and "smtp: ok" in bad.stdout
    assert "wrong-password-123" not in bad.stdout + bad.stderr
