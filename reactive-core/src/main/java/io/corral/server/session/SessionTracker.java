package io.corral.server.session;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Live sessions and their expiry. Expiry is bucketed by tickTime as in ZooKeeper: a session expires at the first
 * tick boundary after (last contact + timeout), so one timer check per tick handles every session. Owned by the
 * sequencer thread.
 */
public final class SessionTracker {
    private final int tickTime;
    private final Map<Long, Session> sessions = new HashMap<>();
    private final TreeMap<Long, Set<Session>> buckets = new TreeMap<>();
    private final SecureRandom random = new SecureRandom();
    private final long idBase;
    private int idCounter;

    public SessionTracker(int tickTime, long serverId, long nowMillis) {
        this.tickTime = tickTime;
        // top byte: server id; next 40 bits: start time; low 16 bits: a counter (ZooKeeper's layout)
        this.idBase = (serverId << 56) | ((nowMillis & 0xFFFFFFFFFFL) << 16);
    }

    /** A fresh session id and password, not yet registered (the createSession txn registers it). */
    public long nextSessionId() {
        long id;
        do {
            id = idBase + (idCounter++ & 0xFFFF);
        } while (sessions.containsKey(id) || id == 0);
        return id;
    }

    public byte[] newPassword() {
        byte[] password = new byte[16];
        random.nextBytes(password);
        return password;
    }

    public Session add(long id, byte[] password, int timeout, long now) {
        Session session = new Session(id, password, timeout);
        sessions.put(id, session);
        touch(session, now);
        return session;
    }

    /** Forgets every session (the state is about to be replaced by the leader's). */
    public void clear() {
        sessions.clear();
        buckets.clear();
    }

    /**
     * Restarts every session's clock: a new leader cannot know when a session was last heard of, so each gets a
     * full timeout from now, as in ZooKeeper.
     */
    public void touchAll(long now) {
        for (Session session : sessions.values()) {
            touch(session, now);
        }
    }

    public Session get(long id) {
        return sessions.get(id);
    }

    /** The session if it exists, is not closing, and the password matches. */
    public Session validate(long id, byte[] password) {
        Session session = sessions.get(id);
        if (session == null || session.closing || password == null || !Arrays.equals(session.password(), password)) {
            return null;
        }
        return session;
    }

    public void setTimeout(Session session, int timeout, long now) {
        session.timeout = timeout;
        touch(session, now);
    }

    /** Pushes the session's expiry to the tick boundary after now + timeout. */
    public void touch(Session session, long now) {
        if (session.closing) {
            return;
        }
        long expiresAt = roundUpToTick(now + session.timeout);
        if (expiresAt == session.expiresAt) {
            return;
        }
        removeFromBucket(session);
        session.expiresAt = expiresAt;
        buckets.computeIfAbsent(expiresAt, t -> new LinkedHashSet<>()).add(session);
    }

    private long roundUpToTick(long time) {
        return (time / tickTime + 1) * tickTime;
    }

    private void removeFromBucket(Session session) {
        Set<Session> bucket = buckets.get(session.expiresAt);
        if (bucket != null) {
            bucket.remove(session);
            if (bucket.isEmpty()) {
                buckets.remove(session.expiresAt);
            }
        }
    }

    /** Sessions whose expiry time has passed; they are marked closing and leave the expiry buckets. */
    public List<Session> expire(long now) {
        List<Session> expired = Collections.emptyList();
        while (!buckets.isEmpty() && buckets.firstKey() <= now) {
            Set<Session> bucket = buckets.pollFirstEntry().getValue();
            if (expired.isEmpty()) {
                expired = new ArrayList<>();
            }
            for (Session session : bucket) {
                session.closing = true;
                expired.add(session);
            }
        }
        return expired;
    }

    /** Marks a session closing (closeSession validated): no further requests, no expiry. */
    public void markClosing(Session session) {
        removeFromBucket(session);
        session.closing = true;
    }

    /**
     * Opens again every session marked closing whose closeSession txn was never applied, each with a full timeout:
     * for a server that led and now follows. Its closing marks came from its own proposals (expiries of a leader
     * that froze past its sessions' timeouts, say), which the new leader's history may not hold; one it holds
     * removes the session when applied, as on any learner.
     */
    public void reopenClosing(long now) {
        for (Session session : sessions.values()) {
            if (session.closing) {
                session.closing = false;
                touch(session, now);
            }
        }
    }

    /** Forgets a session once its closeSession txn is applied. */
    public void remove(long id) {
        Session session = sessions.remove(id);
        if (session != null) {
            removeFromBucket(session);
        }
    }

    public Collection<Session> sessions() {
        return Collections.unmodifiableCollection(sessions.values());
    }

    public int size() {
        return sessions.size();
    }

    /** When the earliest expiry bucket falls due (ms), or Long.MAX_VALUE with no session. */
    public long nextExpiry() {
        return buckets.isEmpty() ? Long.MAX_VALUE : buckets.firstKey();
    }

    /** Session ids per expiry time, for the dump four-letter word. */
    public Map<Long, List<Long>> expiryBuckets() {
        Map<Long, List<Long>> result = new TreeMap<>();
        buckets.forEach((time, bucket) -> {
            List<Long> ids = new ArrayList<>();
            bucket.forEach(s -> ids.add(s.id()));
            result.put(time, ids);
        });
        return result;
    }
}
