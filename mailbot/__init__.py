"""mailbot: a helpdesk that lives in a support mailbox."""

__version__ = "0.1.0"
