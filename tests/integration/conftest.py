"""Real servers for integration tests: Dovecot IMAP and aiosmtpd SMTP on 127.0.0.1."""

import pytest

from mailbot.config import Settings
from tests.servers import Dovecot, SmtpSink


@pytest.fixture
def dovecot():
    server = Dovecot().start()
    yield server
    server.stop()


@pytest.fixture
def smtp():
    sink = SmtpSink().start()
    yield sink
    sink.stop()


@pytest.fixture
def env(tmp_path, dovecot, smtp):
    """The environment a deployment would set, pointing at the test servers."""
    return {
        "MAILBOT_IMAP_HOST": "127.0.0.1", "MAILBOT_IMAP_PORT": str(dovecot.port),
        "MAILBOT_IMAP_USER": dovecot.user, "MAILBOT_IMAP_PASSWORD": dovecot.password,
        "MAILBOT_IMAP_SECURITY": "none", "MAILBOT_IMAP_FOLDER": "INBOX",
        "MAILBOT_SMTP_HOST": "127.0.0.1", "MAILBOT_SMTP_PORT": str(smtp.port), "MAILBOT_SMTP_SECURITY": "none",
        "MAILBOT_ADDRESS": "helpdesk@example.com", "MAILBOT_DATA_DIR": str(tmp_path / "data"),
        "MAILBOT_SECRET": "integration-test-secret-0123456789",
    }


@pytest.fixture
def settings(env):
    return Settings.from_env(env)
