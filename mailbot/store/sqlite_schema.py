"""The SQLite schema: JSON documents plus the columns that need an index or a constraint."""

SCHEMA = """
CREATE TABLE IF NOT EXISTS tickets (
    number INTEGER PRIMARY KEY AUTOINCREMENT,
    source_message_id TEXT NOT NULL UNIQUE,
    status TEXT NOT NULL,
    level TEXT NOT NULL,
    assignee TEXT,
    created_by TEXT NOT NULL,
    category TEXT NOT NULL,
    created_at TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    doc TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS tickets_status ON tickets(status);
CREATE INDEX IF NOT EXISTS tickets_requester ON tickets(created_by);
CREATE TABLE IF NOT EXISTS notifications (
    id TEXT PRIMARY KEY,
    ticket_number INTEGER REFERENCES tickets(number),  -- NULL for mail about no single ticket
    message_id TEXT NOT NULL UNIQUE,
    status TEXT NOT NULL,
    next_attempt_at TEXT NOT NULL,
    doc TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS notifications_due ON notifications(status, next_attempt_at);
CREATE INDEX IF NOT EXISTS notifications_ticket ON notifications(ticket_number);
CREATE TABLE IF NOT EXISTS users (
    email TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    role TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS people (
    kind TEXT NOT NULL,
    email TEXT NOT NULL,
    doc TEXT NOT NULL,
    PRIMARY KEY (kind, email)
);
CREATE TABLE IF NOT EXISTS counters (
    name TEXT PRIMARY KEY,
    value INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS checkpoints (
    folder TEXT PRIMARY KEY,
    uidvalidity INTEGER NOT NULL,
    last_uid INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS durability (syncs INTEGER NOT NULL);
INSERT INTO durability SELECT 0 WHERE NOT EXISTS (SELECT 1 FROM durability);
CREATE TABLE IF NOT EXISTS quarantine (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    message_id TEXT NOT NULL,
    reason TEXT NOT NULL,
    origin TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    size INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'parked',
    outcome TEXT NOT NULL DEFAULT ''
);
"""
