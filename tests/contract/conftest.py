"""Every TicketStore implementation, behind one parametrised fixture."""

import mongomock
import pymongo
import pytest

from mailbot.store.mongo import MongoTicketStore
from mailbot.store.sqlite import SqliteTicketStore
from tests.servers import Secantus


@pytest.fixture(scope="session")
def secantus(tmp_path_factory):
    server = Secantus(tmp_path_factory.mktemp("secantus")).start()
    yield server
    server.stop()


def open_store(spec):
    """Open a store from a picklable spec, so child processes can open their own."""
    kind, where, db = spec
    if kind == "sqlite":
        return SqliteTicketStore(where)
    if kind == "mongomock":
        return MongoTicketStore(mongomock.MongoClient(), "mailbot")
    return MongoTicketStore(pymongo.MongoClient(where, serverSelectionTimeoutMS=5000), db)


def _spec(request, tmp_path):
    if request.param == "sqlite":
        return ("sqlite", str(tmp_path / "mailbot.sqlite3"), None)
    if request.param == "mongomock":
        return ("mongomock", None, None)
    server = request.getfixturevalue("secantus")
    return ("secantus", server.uri, f"t{abs(hash(tmp_path)) % 10**9}")


@pytest.fixture(params=["sqlite", "mongomock", "secantus"])
def store_spec(request, tmp_path):
    """Every store: a real SQLite file, mongomock, and a MongoDB-wire server over TCP."""
    return _spec(request, tmp_path)


@pytest.fixture(params=["sqlite", "secantus"])
def durable_spec(request, tmp_path):
    """Stores that keep data on disk and can be opened from several processes."""
    return _spec(request, tmp_path)


@pytest.fixture
def store(store_spec):
    s = open_store(store_spec)
    yield s
    s.close()
