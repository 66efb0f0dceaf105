"""The TicketStore contract: every store must pass every test here."""

import multiprocessing
import os
import signal
import threading

import pytest

from mailbot.errors import NotFound
from mailbot.models.notification import Notification, after_failure, after_success
from mailbot.models.ticket import Ticket
from mailbot.models.times import parse_iso
from tests.contract.conftest import open_store

NOW = "2026-12-03T10:00:00.000000+00:00"


def make(mid: str, sender="ann@example.com", at=NOW) -> tuple[Ticket, list[Notification]]:
    ticket = Ticket(title=f"t {mid}", description="d", category="IT", type="incident", priority="low",
                    created_by=sender, created_at=at, source_message_id=mid)
    note = Notification(kind="ack", to=sender, message_id=f"<ack.{mid.strip('<>')}>", in_reply_to=mid,
                        references=[mid], context={}, created_at=at)
    return ticket, [note]


def test_create_assigns_numbers_and_is_idempotent(store):
    first, created = store.create_ticket(*make("<a@x>"), requester_name="Ann")
    second, _ = store.create_ticket(*make("<b@x>"))
    again, created_again = store.create_ticket(*make("<a@x>"))
    assert created and not created_again
    assert second.number == first.number + 1
    assert again.id == first.id
    assert [t.id for t in store.list_tickets()] == [second.id, first.id]
    assert len(store.list_notifications(first.id)) == 1
    assert store.get_user("ann@example.com")["name"] == "Ann"


def test_lookup_and_filters(store):
    ticket, _ = store.create_ticket(*make("<a@x>"))
    assert store.find_by_message_id("<a@x>").id == ticket.id
    assert store.find_by_message_id("<zzz@x>") is None
    got = store.get_ticket(ticket.id)
    assert (got.title, got.status, got.level, got.assignee) == ("t <a@x>", "open", "L1", None)
    assert store.get_ticket(f"#{ticket.id}").id == ticket.id
    assert [t.id for t in store.list_tickets(status="open")] == [ticket.id]
    assert store.list_tickets(status="closed") == []
    with pytest.raises(NotFound):
        store.get_ticket("T-99999")


def test_outbox_claim_send_and_retry(store):
    ticket, notes = store.create_ticket(*make("<a@x>"))
    due = store.due_notifications(NOW, 10)
    assert [(n.kind, t.id) for n, t in due] == [("ack", ticket.id)]
    note = due[0][0]
    lease = "2026-12-03T10:05:00.000000+00:00"
    assert store.claim_notifications([note.id], NOW, lease) == {note.id}
    assert store.claim_notifications([note.id], NOW, lease) == set(), "a claimed mail must not be claimed twice"
    assert store.due_notifications(NOW, 10) == []
    assert [n.id for n, _ in store.due_notifications(lease, 10)] == [note.id], "an expired lease is due again"
    store.update_notification(note.id, after_failure(note, "421 try later", False, parse_iso(NOW)))
    retry = store.list_notifications(ticket.id)[0]
    assert (retry.status, retry.attempts, retry.last_error) == ("pending", 1, "421 try later")
    assert retry.next_attempt_at > NOW and store.due_notifications(NOW, 10) == []
    assert store.claim_notifications([note.id], retry.next_attempt_at, lease + "x") == {note.id}
    store.update_notification(note.id, after_success(retry, parse_iso(NOW)))
    done = store.list_notifications(ticket.id)[0]
    assert (done.status, done.attempts) == ("sent", 2)
    assert store.due_notifications("9999", 10) == []


def test_checkpoints(store):
    assert store.get_checkpoint("INBOX") == (0, 0)
    store.set_checkpoint("INBOX", 77, 5)
    store.set_checkpoint("INBOX", 77, 9)
    assert tuple(store.get_checkpoint("INBOX")) == (77, 9)


def test_quarantine(store):
    qid = store.add_quarantine("<bad@x>", "no sender", "imap:INBOX/3", "ab" * 32, 12, NOW)
    record = store.get_quarantine(qid)
    assert (record.reason, record.size, record.status) == ("no sender", 12, "parked")
    assert [r.id for r in store.list_quarantine()] == [qid]
    store.close_quarantine(qid, "retried: T-1")
    assert store.list_quarantine() == []
    assert store.get_quarantine(qid).outcome == "retried: T-1"
    with pytest.raises(NotFound):
        store.get_quarantine(qid + 1000)


def test_concurrent_creates_make_one_ticket_per_mail(store):
    results = []

    def worker():
        for i in range(20):
            results.append(store.create_ticket(*make(f"<m{i}@x>"))[1])

    threads = [threading.Thread(target=worker) for _ in range(3)]
    [t.start() for t in threads]
    [t.join() for t in threads]
    assert results.count(True) == 20
    assert len(store.list_tickets()) == 20
    assert len(store.due_notifications("9999", 100)) == 20


def _race(spec, barrier, queue, prefix):
    store = open_store(spec)
    barrier.wait()
    created = [store.create_ticket(*make(f"<{prefix}{i}@x>"))[1] for i in range(15)]
    note_ids = [n.id for n, _ in store.due_notifications(NOW, 100)]
    claimed = [nid for nid in note_ids if store.claim_notifications([nid], NOW, "9999")]
    queue.put((created.count(True), claimed))
    store.close()


# mongomock lives in one process: the thread test above covers it.
def test_two_process_race(durable_spec):
    store_spec = durable_spec
    ctx = multiprocessing.get_context("spawn")
    barrier, queue = ctx.Barrier(2), ctx.Queue()
    procs = [ctx.Process(target=_race, args=(store_spec, barrier, queue, "r")) for _ in range(2)]
    [p.start() for p in procs]
    outcomes = [queue.get(timeout=60) for _ in procs]
    [p.join(30) for p in procs]
    assert sum(c for c, _ in outcomes) == 15, "each mail makes exactly one ticket"
    claims = [nid for _, ids in outcomes for nid in ids]
    assert len(claims) == len(set(claims)), "no notification is claimed by both processes"


def _write_then_die(spec):
    store = open_store(spec)
    store.create_ticket(*make("<durable@x>"))
    store.create_ticket(*make("<synced@x>"))
    store.sync()
    os.kill(os.getpid(), signal.SIGKILL)


def test_committed_ticket_survives_kill_9(durable_spec, request):
    store_spec = durable_spec
    proc = multiprocessing.get_context("spawn").Process(target=_write_then_die, args=(store_spec,))
    proc.start()
    proc.join(60)
    assert proc.exitcode == -signal.SIGKILL
    if store_spec[0] == "secantus":
        server = request.getfixturevalue("secantus")
        server.kill()
        server.start()
    store = open_store(store_spec)
    assert store.find_by_message_id("<durable@x>") is not None
    assert store.find_by_message_id("<synced@x>") is not None
    store.close()


def test_create_tickets_in_one_batch_dedupes_within_the_batch(store):
    results = store.create_tickets([(*make("<a@x>"), "Ann"), (*make("<b@x>"), ""), (*make("<a@x>"), "Ann")])
    assert [created for _, created in results] == [True, True, False]
    assert results[2][0].id == results[0][0].id
    assert len(store.list_tickets()) == 2 and len(store.due_notifications("9999", 10)) == 2


def test_reserved_numbers_are_used_and_never_reissued(store):
    first = store.reserve_numbers(3)
    ticket, notes = make("<r@x>")
    ticket.number = first + 1
    saved, _ = store.create_ticket(ticket, notes)
    assert saved.id == f"T-{first + 1}"
    assert store.reserve_numbers(1) == first + 3
    assert store.create_ticket(*make("<auto@x>"))[0].number > first + 3


def test_save_is_atomic_and_refuses_a_stale_version(store):
    from mailbot.errors import ConflictError
    ticket, _ = store.create_ticket(*make("<a@x>"))
    mine, theirs = store.get_ticket(ticket.id), store.get_ticket(ticket.id)
    mine.status, mine.assignee = "assigned", "bob@example.com"
    note = make("<a@x>")[1][0]
    note.kind, note.id, note.message_id = "assigned", "n-assigned", "<assigned@x>"
    store.save(mine, [note])
    theirs.status, theirs.assignee = "assigned", "eve@example.com"
    with pytest.raises(ConflictError):
        store.save(theirs, [])
    stored = store.get_ticket(ticket.id)
    assert (stored.assignee, stored.version) == ("bob@example.com", 2)
    assert [n.kind for n in store.list_notifications(ticket.id)] == ["ack", "assigned"]


def test_agents(store):
    store.upsert_person("agent", {"email": "bob@example.com", "name": "Bob", "level": "L1", "active": True, "categories": []})
    store.upsert_person("agent", {"email": "bob@example.com", "name": "Bob B", "level": "L2", "active": True, "categories": []})
    assert store.get_person("agent", "BOB@example.com")["level"] == "L2"
    assert [a["name"] for a in store.list_people("agent")] == ["Bob B"]
    assert store.get_person("agent", "eve@example.com") is None


def test_mail_about_no_ticket_goes_through_the_outbox_once(store):
    note = make("<a@x>")[1][0]
    note.kind, note.id, note.message_id = "status_report", "status-1", "<status-1@x>"
    assert store.add_mail(note) and not store.add_mail(note), "queued once per id"
    due = store.due_notifications(NOW, 10)
    assert [(n.id, t) for n, t in due] == [("status-1", None)]
    assert store.claim_notifications(["status-1"], NOW, "9999") == {"status-1"}
    store.update_notification("status-1", after_success(note, parse_iso(NOW)))
    assert store.due_notifications("9999", 10) == []


def test_tickets_by_requester(store):
    store.create_ticket(*make("<a@x>", sender="ann@example.org"))
    store.create_ticket(*make("<b@x>", sender="bob@example.org"))
    assert [t.created_by for t in store.list_tickets(requester="ann@example.org")] == ["ann@example.org"]


def _open_and_write(path, barrier, queue):
    barrier.wait()
    store = open_store(("sqlite", path, None))
    queue.put(store.create_ticket(*make(f"<open-{os.getpid()}@x>"))[1])
    store.close()


def test_many_processes_can_create_a_new_sqlite_file_at_once(tmp_path):
    ctx = multiprocessing.get_context("spawn")
    barrier, queue = ctx.Barrier(6), ctx.Queue()
    path = str(tmp_path / "fresh.sqlite3")
    procs = [ctx.Process(target=_open_and_write, args=(path, barrier, queue)) for _ in range(6)]
    [p.start() for p in procs]
    results = [queue.get(timeout=60) for _ in procs]
    [p.join(30) for p in procs]
    assert results == [True] * 6 and [p.exitcode for p in procs] == [0] * 6
