"""The exception tree: every error mailbot raises derives from MailbotError."""


class MailbotError(Exception):
    """Root of every error raised by mailbot."""


class ConfigError(MailbotError):
    """Raised when the configuration is missing or invalid; lists every problem."""

    def __init__(self, problems):
        self.problems = list(problems)
        super().__init__("invalid configuration:\n" + "\n".join(f"  - {p}" for p in self.problems))


class RejectedMail(MailbotError):
    """Raised when a mail's content cannot become a ticket (it is quarantined)."""


class StoreUnavailable(MailbotError):
    """Raised when the ticket store cannot be reached; the work is retried later."""


class ConflictError(MailbotError):
    """Raised when a save loses a race against a concurrent writer."""


class MailboxError(MailbotError):
    """Raised when the mailbox server cannot be reached or refuses a command."""


class TransientSendError(MailbotError):
    """Raised when SMTP refuses a mail for now (4xx, connection trouble)."""


class SmtpUnavailable(TransientSendError):
    """Raised when the SMTP server cannot be reached or refuses the login: no mail is at fault."""


class PermanentSendError(MailbotError):
    """Raised when SMTP refuses a mail for good (5xx)."""


class NotFound(MailbotError):
    """Raised when a ticket or record asked for by id does not exist."""
