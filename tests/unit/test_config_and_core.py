"""Configuration errors, secrets in logs, and the purity of the core."""

import json
import logging
import subprocess
import sys

import pytest

from mailbot.config import Settings
from mailbot.errors import ConfigError
from mailbot.logging_setup import configure


def test_every_problem_is_reported_at_once():
    with pytest.raises(ConfigError) as err:
        Settings.from_env({"MAILBOT_IMAP_PORT": "abc", "MAILBOT_SMTP_SECURITY": "tls", "MAILBOT_SECRET": "short",
                           "MAILBOT_ADDRESS": "not-an-address"})
    text = str(err.value)
    for fragment in ("MAILBOT_IMAP_HOST is required", "MAILBOT_IMAP_PORT must be a whole number",
                     "MAILBOT_SMTP_SECURITY must be one of", "MAILBOT_SECRET must be at least 16",
                     "MAILBOT_ADDRESS is not an email address", "MAILBOT_SMTP_HOST is required"):
        assert fragment in text


def test_defaults_and_ports_follow_security():
    s = Settings.from_env({"MAILBOT_IMAP_HOST": "imap.example.com", "MAILBOT_IMAP_USER": "u",
                           "MAILBOT_IMAP_PASSWORD": "pw-0xDEADBEEF", "MAILBOT_SMTP_HOST": "smtp.example.com",
                           "MAILBOT_SECRET": "s" * 16})
    assert (s.imap.port, s.smtp.port, s.smtp.security, s.default_priority) == (993, 587, "starttls", "low")
    assert "pw-0xDEADBEEF" not in repr(s.imap) and "s" * 16 not in repr(s)


def test_rules_file_is_validated(tmp_path):
    bad = tmp_path / "rules.toml"
    bad.write_text('[[rule]]\nfield = "colour"\nvalue = "red"\n')
    with pytest.raises(ConfigError, match="rule 1"):
        Settings.from_env({"MAILBOT_RULES_FILE": str(bad)}, need=())
    good = tmp_path / "good.toml"
    good.write_text('[[rule]]\nfield = "category"\nvalue = "Facilities"\nkeywords = ["heating"]\n')
    assert Settings.from_env({"MAILBOT_RULES_FILE": str(good)}, need=()).rules[0]["value"] == "Facilities"


def test_cli_bad_config_exits_2_naming_every_problem(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "mailbot", "poll", "--once"], capture_output=True, text=True,
                          cwd=tmp_path, env={"PATH": "/usr/bin:/bin", "MAILBOT_IMAP_PASSWORD": "hunter2-secret"})
    assert proc.returncode == 2
    assert "MAILBOT_IMAP_HOST is required" in proc.stderr and "MAILBOT_SECRET is required" in proc.stderr
    assert "hunter2-secret" not in proc.stderr + proc.stdout


def test_secrets_never_reach_the_log(capsys):
    configure("json", "INFO", secrets=["hunter2-secret"])
    logging.getLogger("mailbot.test").error("login failed with %s", "hunter2-secret")
    line = json.loads(capsys.readouterr().err.strip().splitlines()[-1])
    assert line["message"] == "login failed with ***" and line["level"] == "ERROR"
    configure("text", "INFO")


def test_info_goes_to_stdout_and_errors_to_stderr(capsys):
    configure("text", "INFO")
    logging.getLogger("mailbot.test").info("<m@x> created ticket T-1")
    logging.getLogger("mailbot.test").error("<m@x> quarantined")
    out, err = capsys.readouterr()
    assert "created ticket T-1" in out and "quarantined" not in out and "quarantined" in err


def test_pure_core_imports_no_io_client():
    code = ("import sys, mailbot.parsers, mailbot.models.ticket, mailbot.models.notification, mailbot.classify, "
            "mailbot.workflow, mailbot.notifier.render, mailbot.notifier.compose, mailbot.notifier.tokens, "
            "mailbot.parsers.reply, mailbot.parsers.keywords, mailbot.stats; "
            "print(sorted(m for m in ('pymongo','imapclient','smtplib','apscheduler','sqlite3') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_every_key_read_is_documented_in_env_example():
    from tests.conftest import ROOT

    class Recording(dict):
        seen = set()

        def get(self, key, default=None):
            self.seen.add(key)
            return super().get(key, default)

    env = Recording()
    with pytest.raises(ConfigError):
        Settings.from_env(env)
    documented = {line.split("=", 1)[0] for line in (ROOT / ".env.example").read_text().splitlines()
                  if line.startswith("MAILBOT_")}
    assert env.seen - documented == set()
    assert {"MAILBOT_IMAP_HOST", "MAILBOT_SECRET", "MAILBOT_POLL_SECONDS"} <= env.seen
