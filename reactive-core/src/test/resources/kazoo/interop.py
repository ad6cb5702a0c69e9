"""kazoo against a ZooKeeper-compatible server: digest auth with CREATOR_ALL_ACL, Lock, Election, watches,
transactions. Usage: interop.py host:port. Prints one line per step; exits 0 when every step passed."""
import sys
import threading

from kazoo.client import KazooClient
from kazoo.exceptions import BadVersionError, NoAuthError, RolledBackError
from kazoo.security import CREATOR_ALL_ACL

hosts = sys.argv[1]
TIMEOUT = 15


def client(auth=None):
    c = KazooClient(hosts=hosts, timeout=TIMEOUT, auth_data=auth)
    c.start(timeout=TIMEOUT)
    return c


def step(name):
    print("ok:", name, flush=True)


owner = client(auth=[("digest", "kazoo:secret")])
stranger = client()
try:
    owner.ensure_path("/kazoo")

    # CREATOR_ALL_ACL is the auth scheme with an empty id, which kazoo sends as a null string
    owner.create("/kazoo/private", b"mine", acl=CREATOR_ALL_ACL)
    acls, _ = owner.get_acls("/kazoo/private")
    assert [(a.id.scheme, a.id.id.split(":")[0], a.perms) for a in acls] == [("digest", "kazoo", 31)], acls
    assert owner.get("/kazoo/private")[0] == b"mine"
    try:
        stranger.get("/kazoo/private")
        raise AssertionError("a client without the digest read the node")
    except NoAuthError:
        pass
    owner.set_acls("/kazoo/private", CREATOR_ALL_ACL)
    step("digest auth and CREATOR_ALL_ACL")

    lock = owner.Lock("/kazoo/lock", "owner")
    other = stranger.Lock("/kazoo/lock", "stranger")
    assert lock.acquire(timeout=TIMEOUT)
    assert not other.acquire(blocking=False)
    assert stranger.Lock("/kazoo/lock").contenders() == ["owner"]
    lock.release()
    assert other.acquire(timeout=TIMEOUT)
    other.release()
    step("Lock")

    elected = threading.Event()
    done = threading.Event()

    def lead():
        elected.set()
        done.wait(TIMEOUT)

    election = owner.Election("/kazoo/election", "leader-1")
    runner = threading.Thread(target=election.run, args=(lead,), daemon=True)
    runner.start()
    assert elected.wait(TIMEOUT), "never elected"
    assert stranger.Election("/kazoo/election").contenders() == ["leader-1"]
    done.set()
    runner.join(TIMEOUT)
    step("Election")

    owner.create("/kazoo/watched", b"0")
    seen = []
    changed = threading.Event()

    @stranger.DataWatch("/kazoo/watched")
    def on_data(data, stat):
        seen.append(data)
        if data == b"1":
            changed.set()

    children = []
    grew = threading.Event()

    @stranger.ChildrenWatch("/kazoo")
    def on_children(names):
        children.append(sorted(names))
        if "later" in names:
            grew.set()

    owner.set("/kazoo/watched", b"1")
    owner.create("/kazoo/later")
    assert changed.wait(TIMEOUT), seen
    assert grew.wait(TIMEOUT), children
    assert seen[0] == b"0"
    step("DataWatch and ChildrenWatch")

    t = owner.transaction()
    t.create("/kazoo/tx", b"a")
    t.check("/kazoo/watched", 1)
    t.set_data("/kazoo/tx", b"b")
    assert t.commit() == ["/kazoo/tx", True, owner.exists("/kazoo/tx")], "transaction results"
    assert owner.get("/kazoo/tx")[0] == b"b"
    t = owner.transaction()
    t.create("/kazoo/tx2", b"x")
    t.check("/kazoo/watched", 99)
    results = t.commit()
    assert isinstance(results[0], RolledBackError) and isinstance(results[1], BadVersionError), results
    assert owner.exists("/kazoo/tx2") is None
    step("transactions")
finally:
    stranger.stop()
    owner.stop()
print("ALL OK", flush=True)
