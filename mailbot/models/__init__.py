"""Domain values: tickets, inbound messages, notifications and users."""
