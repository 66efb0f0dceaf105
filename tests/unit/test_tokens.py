"""Reply tokens: bound to one ticket and one recipient; forgeries and other senders fail."""

from mailbot.notifier.tokens import MARKER, find_tokens, sign, verify

SECRET = "unit-test-secret-0123456789"


def test_token_verifies_only_for_its_recipient():
    token = sign(SECRET, "T-42", "Agent@Example.com")
    assert verify(SECRET, token, "agent@example.com") == 42
    assert verify(SECRET, token, "mallory@example.com") is None
    assert verify("another-secret-0123456789", token, "agent@example.com") is None


def test_tampered_ticket_number_fails():
    token = sign(SECRET, "T-42", "ann@example.org")
    assert verify(SECRET, "t43" + token[3:], "ann@example.org") is None


def test_tokens_are_found_in_message_ids_plus_addresses_and_markers():
    token = sign(SECRET, "T-7", "ann@example.org")
    message_id = f"<mailbot.ack.0123abcd.{token}@example.com>"
    assert find_tokens(message_id) == [token]
    assert find_tokens(f"helpdesk+{token}@example.com") == [token]
    assert find_tokens("thanks\n" + MARKER.format(token=token)) == [token]
    assert find_tokens("<CAF=abc@mail.gmail.com>", "no token here") == []
