"""Policy tables and defaults that change often: kept here, never inline."""

TICKET_TYPES = ("incident", "problem", "change", "request")
PRIORITIES = ("low", "medium", "high", "urgent")
STATUSES = ("open", "assigned", "resolved", "closed")
LEVELS = ("L1", "L2", "L3")

DEFAULT_CATEGORY = "General"
DEFAULT_TYPE = "request"
DEFAULT_PRIORITY = "low"

TICKET_PREFIX = "T-"
#: Subject tag of a ticket, e.g. ``[#T-42]``.
TICKET_TAG_FORMAT = "[#{ticket_id}]"

# Classification rules, tried in order; the first rule that matches a field wins.
# ``to``: local parts or full addresses the mail was sent to; ``tags``: subject
# tags like ``[HR]``; ``keywords``: whole words in the subject or body.
DEFAULT_RULES = (
    {"field": "category", "value": "HR", "to": ["hr"], "tags": ["HR"],
     "keywords": ["payroll", "payslip", "leave request", "vacation", "holiday", "onboarding"]},
    {"field": "category", "value": "Finance", "to": ["finance", "accounts", "billing"],
     "tags": ["Finance", "Billing"], "keywords": ["invoice", "expense", "reimbursement", "refund"]},
    {"field": "category", "value": "IT", "to": ["it", "itsupport"], "tags": ["IT"],
     "keywords": ["password", "laptop", "vpn", "printer", "wifi", "login", "outlook", "network"]},
    {"field": "type", "value": "incident", "tags": ["Incident"],
     "keywords": ["broken", "down", "outage", "error", "crash", "not working", "cannot", "can't"]},
    {"field": "type", "value": "change", "tags": ["Change"], "keywords": ["change request"]},
    {"field": "type", "value": "problem", "tags": ["Problem"], "keywords": ["root cause", "recurring"]},
    {"field": "type", "value": "request", "tags": ["Request"], "keywords": []},
    {"field": "priority", "value": "urgent", "tags": ["Urgent"], "keywords": []},
    {"field": "priority", "value": "high", "tags": ["High"], "keywords": []},
)

MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
MAX_MESSAGE_BYTES = 40 * 1024 * 1024
IMAP_BATCH_SIZE = 100
POLL_SECONDS = 60

# Outbox: exponential backoff for temporary SMTP failures.
#: Parallel SMTP connections used by one outbox pass.
SMTP_CONNECTIONS = 2
SEND_MAX_ATTEMPTS = 8
SEND_RETRY_SECONDS = 60
SEND_RETRY_MAX_SECONDS = 6 * 3600
#: A notification claimed by a worker that died is retried after this lease.
SEND_LEASE_SECONDS = 300

#: Days after which a resolved ticket with no answer is closed (a reminder goes out a day before).
AUTOCLOSE_DAYS = 5

#: Minutes a ticket may wait unclaimed at one level before it escalates, by priority.
ESCALATION_MINUTES = {"urgent": 15, "high": 60, "medium": 240, "low": 480}
#: Hours an assignee may hold a ticket without resolving it before it is handed back.
STALE_ASSIGNMENT_HOURS = 48
