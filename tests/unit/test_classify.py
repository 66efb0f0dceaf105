"""The classification table: the address, then the subject tag, then keywords; defaults otherwise."""

import pytest

from mailbot.classify import classify, compile_rules
from mailbot.constants import DEFAULT_RULES
from mailbot.models.message import Address, InboundMessage

DEFAULTS = {"category": "General", "type": "request", "priority": "low"}
RULES = compile_rules(DEFAULT_RULES)


def msg(subject="", text="", to="helpdesk@example.com"):
    return InboundMessage(message_id="<m@x>", subject=subject, sender=Address("", "a@example.org"),
                          to=(Address("", to),), cc=(), in_reply_to=None, references=(), text=text,
                          html=None, attachments=())


@pytest.mark.parametrize("mail, expected", [
    (msg("Hello"), ("General", "request", "low")),
    (msg("question", to="hr@example.com"), ("HR", "request", "low")),
    (msg("question", to="helpdesk+finance@example.com"), ("Finance", "request", "low")),
    (msg("[HR] my contract"), ("HR", "request", "low")),
    (msg("[Change] new firewall rule"), ("General", "change", "low")),
    (msg("[hr] lower-case tag"), ("HR", "request", "low")),
    (msg("VPN is down"), ("IT", "incident", "low")),
    (msg("Invoice", "please pay the attached invoice"), ("Finance", "request", "low")),
    (msg("[Urgent] printer", "the printer is broken"), ("IT", "incident", "urgent")),
    # the address beats a tag, a tag beats a keyword
    (msg("[Finance] payroll question", to="hr@example.com"), ("HR", "request", "low")),
    (msg("[Finance] password for the payroll tool"), ("Finance", "request", "low")),
    # keywords are whole words: "downtown" is not "down", "credit" is not "it"
    (msg("Meeting downtown", "credit card"), ("General", "request", "low")),
])
def test_rules_table(mail, expected):
    result = classify(mail, RULES, DEFAULTS)
    assert (result["category"], result["type"], result["priority"]) == expected


def test_custom_rules_and_defaults():
    rules = compile_rules([{"field": "category", "value": "Facilities", "keywords": ["air conditioning"]}])
    assert classify(msg("the air   conditioning is loud"), rules, DEFAULTS)["category"] == "Facilities"
    assert classify(msg("vpn"), rules, {**DEFAULTS, "category": "Other"})["category"] == "Other"
