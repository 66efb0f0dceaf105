"""SmtpSender: one SMTP connection per outbox pass; failures sorted into temporary and permanent."""

from __future__ import annotations

import logging
import smtplib
import ssl
from email.message import EmailMessage

from mailbot.config import Endpoint
from mailbot.errors import PermanentSendError, SmtpUnavailable, TransientSendError

log = logging.getLogger(__name__)


class SmtpSender:
    """Sends rendered mail over SMTP; reconnects lazily after a dropped connection."""

    def __init__(self, endpoint: Endpoint, envelope_from: str, timeout: float = 30):
        self.endpoint, self.envelope_from, self.timeout = endpoint, envelope_from, timeout
        self.conn: smtplib.SMTP | None = None

    def _connect(self) -> smtplib.SMTP:
        """The only place that opens a connection (override in tests)."""
        ep = self.endpoint
        context = ssl.create_default_context()
        if ep.security == "ssl":
            conn = smtplib.SMTP_SSL(ep.host, ep.port, timeout=self.timeout, context=context)
        else:
            conn = smtplib.SMTP(ep.host, ep.port, timeout=self.timeout)
            if ep.security == "starttls":
                conn.starttls(context=context)
        if ep.user:
            conn.login(ep.user, ep.password)
        return conn

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.close()

    def close(self) -> None:
        if self.conn is not None:
            try:
                self.conn.quit()
            except (smtplib.SMTPException, OSError):
                pass
            self.conn = None

    def open(self) -> smtplib.SMTP:
        where = f"{self.endpoint.host}:{self.endpoint.port}"
        try:
            return self._connect()
        except smtplib.SMTPAuthenticationError as exc:
            raise SmtpUnavailable(f"SMTP {where} refused the login ({exc.smtp_code})") from exc
        except (smtplib.SMTPException, OSError) as exc:
            raise SmtpUnavailable(f"SMTP {where} unreachable: {exc}") from exc

    def send(self, msg: EmailMessage) -> None:
        """Hand one mail to the server; raise TransientSendError or PermanentSendError."""
        if self.conn is None:
            self.conn = self.open()
        try:
            refused = self.conn.send_message(msg, from_addr=self.envelope_from)
        except smtplib.SMTPRecipientsRefused as exc:
            codes = [code for code, _ in exc.recipients.values()]
            self._raise(min(codes), "; ".join(f"{code} {text!r}" for code, text in exc.recipients.values()))
        except smtplib.SMTPResponseException as exc:
            self.close()
            self._raise(exc.smtp_code, f"{exc.smtp_code} {exc.smtp_error!r}")
        except (smtplib.SMTPException, OSError) as exc:
            self.close()
            raise TransientSendError(f"SMTP connection lost: {exc}") from exc
        if refused:
            raise PermanentSendError(f"recipients refused: {refused}")

    @staticmethod
    def _raise(code: int, text: str):
        if 500 <= code < 600:
            raise PermanentSendError(text)
        raise TransientSendError(text)
