package io.corral.server.quorum;

import io.corral.server.peer.PeerLinkStatus;
import io.corral.server.peer.PeerNetwork;
import io.corral.server.zab.ZabMessage;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the shell counts per peer for ZooKeeper's observers admin command (its LearnerHandler's figures): since when
 * the link is up, the messages sent and received, the clients' requests it forwarded and the last zxid sent to it.
 * Sequencer thread only.
 */
final class LearnerFigures {

    private static final class Counts {
        final long established;
        long received;
        long sent;
        long requests;
        long lastZxid = -1;

        Counts(long established) {
            this.established = established;
        }
    }

    private final Map<Long, Counts> peers = new HashMap<>();

    void connected(long peer, long nowMillis) {
        peers.put(peer, new Counts(nowMillis));
    }

    void disconnected(long peer) {
        peers.remove(peer);
    }

    void received(long peer) {
        Counts c = peers.get(peer);
        if (c != null) {
            c.received++;
        }
    }

    void forwarded(long peer) {
        Counts c = peers.get(peer);
        if (c != null) {
            c.requests++;
        }
    }

    /** A message queued for the peer; the zxid it carries, if any, is the last sent (as ZooKeeper logs it). */
    void sent(long peer, ZabMessage message) {
        Counts c = peers.get(peer);
        if (c == null) {
            return;
        }
        c.sent++;
        long zxid = zxidOf(message);
        if (zxid > 0) {
            c.lastZxid = zxid;
        }
    }

    private static long zxidOf(ZabMessage message) {
        if (message instanceof ZabMessage.Proposal p) {
            return p.entry().zxid();
        } else if (message instanceof ZabMessage.Inform i) {
            return i.entry().zxid();
        } else if (message instanceof ZabMessage.Commit c) {
            return c.zxid();
        } else if (message instanceof ZabMessage.NewLeader n) {
            return n.zxid();
        } else if (message instanceof ZabMessage.Diff d) {
            return d.zxid();
        } else if (message instanceof ZabMessage.Trunc t) {
            return t.zxid();
        } else if (message instanceof ZabMessage.Snap s) {
            return s.zxid();
        } else if (message instanceof ZabMessage.Ping p) {
            return p.zxid();
        }
        return 0;
    }

    /** ZooKeeper's observer_connection_stat_reset: the counts start again, the last zxid is unknown (-1). */
    void reset() {
        peers.values().forEach(c -> {
            c.received = 0;
            c.sent = 0;
            c.requests = 0;
            c.lastZxid = -1;
        });
    }

    /** The statuses of these peers, those with a link (in the order given). */
    List<ObserverStatus> statuses(List<Long> ids, PeerNetwork network) {
        List<ObserverStatus> statuses = new ArrayList<>();
        for (long id : ids) {
            ObserverStatus status = status(id, network.status(id));
            if (status != null) {
                statuses.add(status);
            }
        }
        return statuses;
    }

    /** The status of a connected peer, with its link's; null when it has no link. */
    private ObserverStatus status(long peer, PeerLinkStatus link) {
        Counts c = peers.get(peer);
        if (c == null || link == null) {
            return null;
        }
        return new ObserverStatus(peer, link.remoteAddress(), c.established, link.queuedMessages(), link.queuedBytes(),
                c.received, c.sent, c.requests, c.lastZxid);
    }
}
