"""SmtpSender: one SMTP connection per outbox pass; failures sorted into temporary and permanent."""

from __future__ import annotations

import logging
import smtplib

from mailbot.config import Endpoint
from mailbot.errors import PermanentSendError, SmtpUnavailable, TransientSendError
from mailbot.tls import tls_context

log = logging.getLogger(__name__)


class SmtpSender:
    """Sends rendered mail over SMTP; reconnects lazily after a dropped connection."""

    def __init__(self, endpoint: Endpoint, envelope_from: str, timeout: float = 30):
        self.endpoint, self.envelope_from, self.timeout = endpoint, envelope_from, timeout
        self.conn: smtplib.SMTP | None = None

    def _connect(self) -> smtplib.SMTP:
        """The only place that opens a connection (override in tests)."""
        ep = self.endpoint
        if ep.security == "ssl":
            conn = smtplib.SMTP_SSL(ep.host, ep.port, timeout=self.timeout, context=tls_context())
        else:
            conn = smtplib.SMTP(ep.host, ep.port, timeout=self.timeout)
            if ep.security == "starttls":
                conn.starttls(context=tls_context())
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

    def send(self, mail) -> None:
        """Hand one mail to the server; raise TransientSendError or PermanentSendError."""
        if self.conn is None:
            self.conn = self.open()
        try:
            self._transaction(mail)
        except smtplib.SMTPResponseException as exc:
            if exc.smtp_code == 421:
                self.close()
            self._raise(exc.smtp_code, f"{exc.smtp_code} {exc.smtp_error!r}")
        except (smtplib.SMTPException, OSError) as exc:
            self.close()
            raise TransientSendError(f"SMTP connection lost: {exc}") from exc

    def _transaction(self, mail) -> None:
        """MAIL, RCPT, DATA for one recipient (smtplib.sendmail re-parses both addresses each time)."""
        self.conn.ehlo_or_helo_if_needed()
        for verb, arg in (("mail", f"FROM:<{self.envelope_from}>"), ("rcpt", f"TO:<{mail.to}>")):
            code, text = self.conn.docmd(verb, arg)
            if code != 250 and not (verb == "rcpt" and code == 251):
                self.conn.rset()
                raise smtplib.SMTPResponseException(code, text)
        code, text = self.conn.data(mail.data)
        if code != 250:
            raise smtplib.SMTPResponseException(code, text)

    @staticmethod
    def _raise(code: int, text: str):
        if 500 <= code < 600:
            raise PermanentSendError(text)
        raise TransientSendError(text)
